/**
 * From a task and the editor text to a RunRequest, and from the streamed RunEvents to what the room
 * shows (console, plots, checks, error) and to the RunReport the server stores (docs/api.md, "Routes").
 */
import { type PlotSpec, type RunError, type RunEvent, type RunRequest } from "../../sandbox/events.js";
import {
  REPORT_OUTPUT,
  type CheckResult,
  type NonFiniteMetric,
  type OutputLine,
  type MetricSeries,
  type RunReport,
  type RunStatus,
} from "../../contract/run-report.js";
import type { PublicTask } from "../../server/packs/format.js";
import { firstNonFinite } from "../../sandbox/non-finite.js";

/** The file name error locations in attendee code refer to. */
export const MAIN_FILE = "main.js";
/** Longest metric series kept in a report; the server needs a sparkline, not every step. */
export const METRIC_POINTS = 200;
/** Most console lines kept on screen; older ones are dropped with a note. */
export const CONSOLE_LINES = 2000;

export function runRequestFor(task: PublicTask, source: string): RunRequest {
  const request: RunRequest = {
    source,
    filename: MAIN_FILE,
    checks: task.checks.trim() ? [{ name: "checks.js", source: task.checks }] : [],
    limits: { timeoutMs: task.timeBudgetMs },
  };
  if (task.modules) request.allowedModules = task.modules;
  if (task.seed !== undefined) request.seed = task.seed;
  if (task.packModules) request.packModules = task.packModules;
  return request;
}

export type ConsoleLine = OutputLine;

/** Everything one run has produced so far. Immutable: each event yields a new value. */
export interface RunOutcome {
  running: boolean;
  console: ConsoleLine[];
  droppedLines: number;
  /** Plots in order of first appearance; a plot re-sent with the same id replaces the earlier one. */
  plots: PlotSpec[];
  metrics: Record<string, { step: number; value: number }[]>;
  /**
   * Plots and metrics made while the checks ran (a check calling `attempt.fit()`), kept apart so
   * they never replace the attendee's plots or splice a second series into its curves.
   */
  checkOutput: { plots: PlotSpec[]; metrics: Record<string, { step: number; value: number }[]> };
  checks: CheckResult[];
  status?: RunStatus;
  error?: RunError;
  durationMs?: number;
}

export const emptyOutcome = (): RunOutcome => ({
  running: true,
  console: [],
  droppedLines: 0,
  plots: [],
  metrics: {},
  checkOutput: { plots: [], metrics: {} },
  checks: [],
});

function withPlot(plots: readonly PlotSpec[], plot: PlotSpec): PlotSpec[] {
  const index = plots.findIndex((p) => p.id === plot.id);
  const next = [...plots];
  if (index >= 0) next[index] = plot;
  else next.push(plot);
  return next;
}

type Series = Record<string, { step: number; value: number }[]>;

function withPoint(metrics: Series, name: string, step: number, value: number): Series {
  return { ...metrics, [name]: [...(metrics[name] ?? []), { step, value }] };
}

export function applyEvent(outcome: RunOutcome, event: RunEvent): RunOutcome {
  switch (event.type) {
    case "console": {
      const lines = [...outcome.console, { level: event.level, text: String(event.text) }];
      const excess = Math.max(0, lines.length - CONSOLE_LINES);
      return { ...outcome, console: lines.slice(excess), droppedLines: outcome.droppedLines + excess };
    }
    case "plot": {
      if (event.check === undefined) return { ...outcome, plots: withPlot(outcome.plots, event.plot) };
      const plots = withPlot(outcome.checkOutput.plots, event.plot);
      return { ...outcome, checkOutput: { ...outcome.checkOutput, plots } };
    }
    case "metric": {
      if (event.check === undefined) {
        return { ...outcome, metrics: withPoint(outcome.metrics, event.name, event.step, event.value) };
      }
      const metrics = withPoint(outcome.checkOutput.metrics, event.name, event.step, event.value);
      return { ...outcome, checkOutput: { ...outcome.checkOutput, metrics } };
    }
    case "check":
      return { ...outcome, checks: [...outcome.checks, event.check] };
    case "done": {
      const next: RunOutcome = {
        ...outcome,
        running: false,
        status: event.status,
        durationMs: event.durationMs,
      };
      if (event.error) next.error = event.error;
      return next;
    }
  }
}

/** Keeps at most `max` points, evenly spaced and always including the last one. */
export function downsample(values: number[], max = METRIC_POINTS): number[] {
  if (values.length <= max) return values;
  const out: number[] = [];
  for (let i = 0; i < max; i++) out.push(values[Math.round((i * (values.length - 1)) / (max - 1))]!);
  return out;
}

/** `text` cut to `max` UTF-16 code units, ending with "…" when cut, never splitting a surrogate pair. */
function cutLine(text: string, max: number): string {
  if (text.length <= max) return text;
  let head = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  return `${head}…`;
}

const utf8 = new TextEncoder();

/**
 * The last console lines of a run within {@link REPORT_OUTPUT}: at most 50 lines, each cut to 500
 * characters, 8 KB in all; `omitted` counts the run's lines left out (including those the room had
 * already dropped).
 */
export function captureOutput(
  lines: readonly ConsoleLine[],
  droppedLines = 0,
): { output: OutputLine[]; omitted: number } {
  const output: OutputLine[] = [];
  let bytes = 0;
  for (let i = lines.length - 1; i >= 0 && output.length < REPORT_OUTPUT.lines; i--) {
    const line = lines[i]!;
    const text = cutLine(line.text, REPORT_OUTPUT.lineChars);
    bytes += utf8.encode(text).length;
    if (bytes > REPORT_OUTPUT.totalBytes) break;
    output.push({ level: line.level, text });
  }
  output.reverse();
  return { output, omitted: droppedLines + lines.length - output.length };
}

export { firstNonFinite };

export function reportFor(taskId: string, outcome: RunOutcome): RunReport {
  const metrics: MetricSeries = {};
  const nonFinite: Record<string, NonFiniteMetric> = {};
  for (const [name, series] of Object.entries(outcome.metrics)) {
    metrics[name] = downsample(series.map((p) => p.value).filter(Number.isFinite));
    const first = firstNonFinite(series);
    if (first) nonFinite[name] = first;
  }
  const report: RunReport = {
    taskId,
    status: outcome.status ?? "error",
    checks: outcome.checks.map((c) => ({ ...c })),
    metrics,
    durationMs: Math.round(outcome.durationMs ?? 0),
  };
  if (outcome.console.length > 0 || outcome.droppedLines > 0) {
    const { output, omitted } = captureOutput(outcome.console, outcome.droppedLines);
    report.output = output;
    if (omitted > 0) report.outputOmitted = omitted;
  }
  if (Object.keys(nonFinite).length > 0) report.nonFinite = nonFinite;
  if (outcome.error) {
    const { kind, message, line, limit } = outcome.error;
    report.error = { kind, message: message.slice(0, 500) };
    if (line !== undefined && errorInAttendeeCode(outcome.error)) report.error.line = line;
    if (limit !== undefined) report.error.limit = limit;
  }
  return report;
}

/** Whether an error's line refers to the attendee's own file (and so can be marked in the editor). */
export function errorInAttendeeCode(error: RunError): boolean {
  return error.line !== undefined && (error.module === undefined || error.module === MAIN_FILE);
}

/** The check whose hint the checks panel shows: the first failure. */
export function firstFailure(checks: CheckResult[]): CheckResult | undefined {
  return checks.find((c) => !c.passed);
}

/** One line for a run error, e.g. "Line 4: ReferenceError: x is not defined" or "Time limit: …". */
export function errorSummary(error: RunError): string {
  const where = errorInAttendeeCode(error)
    ? `Line ${error.line}: `
    : error.module && error.line !== undefined
      ? `${error.module}:${error.line}: `
      : "";
  const what = error.kind === "limit" && error.limit ? `${error.limit} limit: ` : "";
  return `${where}${what}${error.message}`;
}
