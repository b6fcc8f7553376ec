/**
 * Run reports as the dashboard receives them from the server: the `run` server-sent events and the
 * initial `GET /progress`. Parsed defensively: a malformed record is skipped, never shown raw.
 */
import {
  REPORT_OUTPUT,
  type CheckResult,
  type DeviceCensus,
  type OutputLine,
  type RunReport,
} from "../../sandbox/events.js";
import type { RosterEntry, RunRecord } from "./progress.js";

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Check results from untrusted JSON: names as strings, `passed` only when exactly true. */
export function parseChecks(value: unknown): CheckResult[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((c) => {
    const check: CheckResult = { name: String(c.name ?? ""), passed: c.passed === true };
    if (typeof c.message === "string") check.message = c.message;
    if (typeof c.hint === "string") check.hint = c.hint;
    if (c.hidden === true) check.hidden = true;
    return check;
  });
}

function parseMetrics(value: unknown): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  if (!isObject(value)) return out;
  for (const [name, series] of Object.entries(value)) {
    if (Array.isArray(series))
      out[name] = series.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  }
  return out;
}

const LEVELS = ["log", "info", "warn", "error"] as const;

/** Console lines of a report: strings only, at most the capped number, unknown levels shown as "log". */
function parseOutput(value: unknown): OutputLine[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(isObject)
    .filter((l) => typeof l.text === "string")
    .slice(-REPORT_OUTPUT.lines)
    .map((l) => ({
      level: LEVELS.find((level) => level === l.level) ?? "log",
      text: (l.text as string).slice(0, REPORT_OUTPUT.lineChars),
    }));
}

const NON_FINITE = ["NaN", "Infinity", "-Infinity"] as const;

function parseNonFinite(value: unknown): RunReport["nonFinite"] {
  if (!isObject(value)) return undefined;
  const out: NonNullable<RunReport["nonFinite"]> = {};
  for (const [name, entry] of Object.entries(value)) {
    if (!isObject(entry) || typeof entry.step !== "number") continue;
    const kind = NON_FINITE.find((k) => k === entry.value);
    if (kind) out[name] = { step: entry.step, value: kind };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function parseDeviceCensus(value: unknown): DeviceCensus | undefined {
  if (!isObject(value) || typeof value.backend !== "string" || typeof value.threads !== "number")
    return undefined;
  const device: DeviceCensus = {
    backend: value.backend,
    simd: value.simd === true,
    threads: value.threads,
    crossOriginIsolated: value.crossOriginIsolated === true,
  };
  if (typeof value.msPerStep === "number" && Number.isFinite(value.msPerStep))
    device.msPerStep = value.msPerStep;
  return device;
}

export function parseReport(value: unknown): RunReport | null {
  if (!isObject(value) || typeof value.taskId !== "string") return null;
  const report: RunReport = {
    taskId: value.taskId,
    status: value.status === "ok" ? "ok" : "error",
    checks: parseChecks(value.checks),
    metrics: parseMetrics(value.metrics),
    durationMs: typeof value.durationMs === "number" ? value.durationMs : 0,
  };
  const nonFinite = parseNonFinite(value.nonFinite);
  if (nonFinite) report.nonFinite = nonFinite;
  if (isObject(value.error) && typeof value.error.message === "string") {
    const kinds = ["syntax", "runtime", "limit", "import", "internal"] as const;
    const kind = kinds.find((k) => k === (value.error as Record<string, unknown>).kind) ?? "runtime";
    report.error = { kind, message: value.error.message };
    if (typeof value.error.line === "number") report.error.line = value.error.line;
    const limits = ["time", "memory", "stack", "jobs", "output", "tensors"] as const;
    const limit = limits.find((l) => l === (value.error as Record<string, unknown>).limit);
    if (limit) report.error.limit = limit;
  }
  if (Array.isArray(value.output)) report.output = parseOutput(value.output);
  if (typeof value.outputOmitted === "number" && value.outputOmitted > 0)
    report.outputOmitted = value.outputOmitted;
  const device = parseDeviceCensus(value.device);
  if (device) report.device = device;
  return report;
}

function toTime(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string") {
    const t = Date.parse(value);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

/** One run: `{participantId, at, report}` or a report with `participantId` and `at` beside its fields. */
export function parseRunNotice(value: unknown, now = Date.now()): RunRecord | null {
  if (!isObject(value) || typeof value.participantId !== "string") return null;
  const report = parseReport(isObject(value.report) ? value.report : value);
  if (!report) return null;
  const at =
    toTime(value.at) ??
    toTime(value.createdAt) ??
    toTime(isObject(value.report) ? value.report.at : undefined) ??
    now;
  return { participantId: value.participantId, at, report };
}

/**
 * Every run record found in a `GET /progress` answer: arrays of notices, or participants holding
 * their latest run per task.
 */
export function parseProgress(value: unknown): RunRecord[] {
  const out: RunRecord[] = [];
  const visit = (node: unknown, participantId: string | undefined, depth: number) => {
    if (depth > 5) return;
    if (Array.isArray(node)) return node.forEach((n) => visit(n, participantId, depth + 1));
    if (!isObject(node)) return;
    const pid = typeof node.participantId === "string" ? node.participantId : participantId;
    const candidate =
      isObject(node.report) || typeof node.taskId === "string"
        ? parseRunNotice({ ...node, participantId: pid })
        : null;
    if (candidate && pid !== undefined && (isObject(node.report) || Array.isArray(node.checks))) {
      out.push(candidate);
      return;
    }
    for (const child of Object.values(node)) if (typeof child === "object") visit(child, pid, depth + 1);
  };
  visit(value, undefined, 0);
  return out.sort((a, b) => a.at - b.at);
}

/** A participant from a `participant` server-sent event or the session's participant list. */
export function parseParticipant(
  value: unknown,
  now = Date.now(),
): ({ participantId: string } & RosterEntry) | null {
  if (!isObject(value)) return null;
  const participantId =
    typeof value.participantId === "string"
      ? value.participantId
      : typeof value.id === "string"
        ? value.id
        : null;
  if (participantId === null || typeof value.name !== "string") return null;
  return {
    participantId,
    name: value.name,
    workspaceId: typeof value.workspaceId === "string" ? value.workspaceId : "",
    joinedAt: toTime(value.joinedAt) ?? now,
  };
}
