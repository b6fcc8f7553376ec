/**
 * The class-wide view of one task, as pure functions: every unit's (an attendee's, or a pair's,
 * keyed by its workspace) latest run on the task,
 * their metric curves overlaid, runs flagged for NaN, divergence or a plateau, and runs grouped by
 * the first thing that fails so the host can address a common mistake once. The rules are
 * documented in docs/client.md ("Class view").
 */
import { pointSteps, type NonFiniteMetric, type RunReport } from "../../contract/run-report.js";
import type { RunRecord } from "./progress.js";

/** taskId → workspaceId → the latest run on the task made in that workspace (by either pair member). */
export type LatestRuns = ReadonlyMap<string, ReadonlyMap<string, RunRecord>>;

/** Folds one run into the latest runs (a run older than the one kept is ignored). */
export function recordLatest(latest: LatestRuns, record: RunRecord): LatestRuns {
  const task = latest.get(record.report.taskId);
  const kept = task?.get(record.workspaceId);
  if (kept && kept.at > record.at) return latest;
  const next = new Map(latest);
  next.set(record.report.taskId, new Map(task).set(record.workspaceId, record));
  return next;
}

/** One unit's latest run on the task in view, with the name to show ("Ada", "Ada & Bob"). */
export interface ClassRun {
  workspaceId: string;
  name: string;
  at: number;
  report: RunReport;
}

/**
 * The latest runs on `taskId` of the units in `names` (workspaceId → unit name), ordered by name. A
 * workspace nobody works in any more (a member's own, left when paired) is left out: its pair's is
 * the unit's now.
 */
export function classRuns(
  latest: LatestRuns,
  taskId: string,
  names: ReadonlyMap<string, string>,
): ClassRun[] {
  const runs: ClassRun[] = [];
  for (const [workspaceId, record] of latest.get(taskId) ?? []) {
    const name = names.get(workspaceId);
    if (name === undefined) continue;
    runs.push({
      workspaceId,
      name,
      at: record.at,
      report: record.report,
    });
  }
  return runs.sort((a, b) => byName(a.name, b.name) || a.workspaceId.localeCompare(b.workspaceId));
}

const byName = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: "base" });

/** The metrics reported in `runs`, "loss" first, then alphabetical. */
export function metricNames(runs: readonly ClassRun[]): string[] {
  const names = new Set<string>();
  for (const run of runs) {
    for (const name of Object.keys(run.report.metrics)) names.add(name);
    for (const name of Object.keys(run.report.nonFinite ?? {})) names.add(name);
  }
  return [...names].sort((a, b) => Number(b === "loss") - Number(a === "loss") || a.localeCompare(b));
}

/** Metrics where a rising curve is good news (accuracy, reward…); every other metric is a loss. */
export function higherIsBetter(metric: string): boolean {
  return /acc|score|reward|return|auc|f1|precision|recall/i.test(metric);
}

export type RunFlag =
  | ({ kind: "non-finite" } & NonFiniteMetric)
  | { kind: "diverging"; from: number; to: number }
  | { kind: "plateau"; points: number; change: number };

/** Divergence needs this many finite points. */
export const DIVERGE_MIN_POINTS = 5;
/** …and every point of the tail (the last tenth, at least 3) worse than the first by this fraction. */
export const DIVERGE_MARGIN = 0.1;
/** A plateau needs this many finite points… */
export const PLATEAU_MIN_POINTS = 10;
/** …and the tail (the last quarter, at least 5) spanning less than this fraction of its mean. */
export const PLATEAU_EPSILON = 1e-3;

/** Whether the run's checks are not all passing (an error, a failed visible check, or none at all). */
export function stillFailing(report: RunReport): boolean {
  const visible = report.checks.filter((c) => !c.hidden);
  return report.status === "error" || visible.length === 0 || visible.some((c) => !c.passed);
}

/**
 * The one flag a run gets for `metric`, most serious first: a non-finite value, divergence, a
 * plateau while checks still fail; null when the curve looks healthy (or is too short to tell).
 */
export function flagRun(report: RunReport, metric: string): RunFlag | null {
  const broken = report.nonFinite?.[metric];
  if (broken) return { kind: "non-finite", step: broken.step, value: broken.value };
  const values = (report.metrics[metric] ?? []).filter(Number.isFinite);
  const sign = higherIsBetter(metric) ? -1 : 1;
  const worse = values.map((v) => sign * v);
  const n = worse.length;
  if (n >= DIVERGE_MIN_POINTS) {
    const first = worse[0]!;
    const threshold = first + Math.max(DIVERGE_MARGIN * Math.abs(first), 1e-12);
    const tail = worse.slice(n - Math.max(3, Math.ceil(n / 10)));
    if (tail.every((v) => v > threshold)) return { kind: "diverging", from: values[0]!, to: values[n - 1]! };
  }
  if (n >= PLATEAU_MIN_POINTS && stillFailing(report)) {
    const tail = values.slice(n - Math.max(5, Math.ceil(n / 4)));
    const mean = tail.reduce((s, v) => s + v, 0) / tail.length;
    const change = (Math.max(...tail) - Math.min(...tail)) / Math.max(Math.abs(mean), 1e-12);
    if (change < PLATEAU_EPSILON) return { kind: "plateau", points: tail.length, change };
  }
  return null;
}

const num = (v: number) =>
  Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : String(+v.toPrecision(3));

/** "NaN at step 12", "diverging: 1 → 4.1e+5", "plateau over the last 10 points". */
export function describeFlag(flag: RunFlag): string {
  switch (flag.kind) {
    case "non-finite":
      return `${flag.value} at step ${flag.step}`;
    case "diverging":
      return `diverging: ${num(flag.from)} → ${num(flag.to)}`;
    case "plateau":
      return `plateau over the last ${flag.points} points`;
  }
}

export interface FlaggedRun {
  workspaceId: string;
  name: string;
  flag: RunFlag;
}

/** Every flagged run for `metric`, NaN first, then divergence, then plateaus; by name within each. */
export function flaggedRuns(runs: readonly ClassRun[], metric: string): FlaggedRun[] {
  const order: RunFlag["kind"][] = ["non-finite", "diverging", "plateau"];
  const out: FlaggedRun[] = [];
  for (const run of runs) {
    const flag = flagRun(run.report, metric);
    if (flag) out.push({ workspaceId: run.workspaceId, name: run.name, flag });
  }
  return out.sort(
    (a, b) => order.indexOf(a.flag.kind) - order.indexOf(b.flag.kind) || byName(a.name, b.name),
  );
}

export interface Curve {
  workspaceId: string;
  name: string;
  values: number[];
  /** The training step of each value. */
  steps: number[];
}

/** Each run's finite series for `metric` over its training steps (runs without it are left out). */
export function classCurves(runs: readonly ClassRun[], metric: string): Curve[] {
  return runs
    .map((run) => {
      const series = run.report.metrics[metric] ?? [];
      const at = pointSteps(series.length, run.report.metricSteps?.[metric]);
      const kept = series.map((v, i) => [at[i]!, v] as const).filter(([, v]) => Number.isFinite(v));
      return {
        workspaceId: run.workspaceId,
        name: run.name,
        values: kept.map(([, v]) => v),
        steps: kept.map(([step]) => step),
      };
    })
    .filter((c) => c.values.length > 0);
}

/**
 * Whether a log y-axis reads better: every value positive and spanning more than three orders of
 * magnitude (one exploding run would otherwise flatten everyone else's curve onto the axis).
 */
export function suggestLogScale(curves: readonly { values: number[] }[]): boolean {
  let min = Infinity;
  let max = -Infinity;
  for (const c of curves) {
    for (const v of c.values) {
      if (v <= 0) return false;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  return max / min > 1e3;
}

/**
 * Curves as uPlot's aligned data: x = every training step any curve has a value at (a curve without
 * `steps` has one value per step), one y array per curve, null where it has no value.
 */
export function alignCurves(
  curves: readonly { values: number[]; steps?: number[] }[],
): [number[], ...(number | null)[][]] {
  const stepsOf = (c: { values: number[]; steps?: number[] }) => c.steps ?? pointSteps(c.values.length);
  const xs = [...new Set(curves.flatMap(stepsOf))].sort((a, b) => a - b);
  const column = new Map(xs.map((x, i) => [x, i]));
  return [
    xs,
    ...curves.map((c) => {
      const ys: (number | null)[] = xs.map(() => null);
      stepsOf(c).forEach((step, i) => (ys[column.get(step)!] = c.values[i] ?? null));
      return ys;
    }),
  ];
}

export interface RunGroup {
  /** Stable identity: "check:<name>", "error:<normalised message>", "no-checks" or "passing". */
  key: string;
  kind: "check" | "error" | "no-checks" | "passing";
  /** The check's name, or the normalised error. */
  label: string;
  /** The first failing check's message (of the first member), for the fix the host writes. */
  message?: string;
  members: { workspaceId: string; name: string }[];
}

/**
 * An error as one line that equal mistakes share: numbers become N (line numbers, values, sizes),
 * whitespace collapses, a limit is named ("time limit: …").
 */
export function normaliseError(error: NonNullable<RunReport["error"]>): string {
  const message = error.message
    .replace(/\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi, "N")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
  return error.kind === "limit" && error.limit ? `${error.limit} limit: ${message}` : message;
}

/** Where a run went wrong first: its error, else its first failing visible check. */
function groupOf(report: RunReport): Omit<RunGroup, "members"> {
  if (report.error) {
    const label = normaliseError(report.error);
    return { key: `error:${label}`, kind: "error", label };
  }
  const visible = report.checks.filter((c) => !c.hidden);
  const failed = visible.find((c) => !c.passed);
  if (failed) {
    return {
      key: `check:${failed.name}`,
      kind: "check",
      label: failed.name,
      ...(failed.message ? { message: failed.message } : {}),
    };
  }
  if (visible.length === 0) return { key: "no-checks", kind: "no-checks", label: "No checks ran" };
  return { key: "passing", kind: "passing", label: "All visible checks pass" };
}

/** Runs grouped by their first failure, largest group first; the passing group comes last. */
export function groupRuns(runs: readonly ClassRun[]): RunGroup[] {
  const groups = new Map<string, RunGroup>();
  for (const run of runs) {
    const group = groupOf(run.report);
    const found = groups.get(group.key) ?? { ...group, members: [] };
    found.members.push({ workspaceId: run.workspaceId, name: run.name });
    groups.set(group.key, found);
  }
  return [...groups.values()].sort(
    (a, b) =>
      Number(a.kind === "passing") - Number(b.kind === "passing") ||
      b.members.length - a.members.length ||
      a.label.localeCompare(b.label),
  );
}

/** Text that markdown shows as typed: every ASCII punctuation character backslash-escaped. */
export function markdownText(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, "\\$&");
}

/** `text` as a markdown code span: shown exactly as typed, whatever characters it holds. */
export function codeSpan(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A broadcast draft addressing a group's mistake, for the host to finish and send. */
export function fixDraft(group: RunGroup, taskTitle: string): string {
  const count = group.members.length;
  const who = `${count} ${count === 1 ? "run" : "runs"}`;
  const lines = [
    group.kind === "check"
      ? `**${markdownText(taskTitle)}**: the check ${codeSpan(group.label)} fails for ${who}.`
      : `**${markdownText(taskTitle)}**: ${who} stop with ${codeSpan(group.label)}.`,
  ];
  if (group.message) lines.push("", `> ${codeSpan(group.message)}`);
  lines.push("", "The fix: ");
  return lines.join("\n");
}
