/**
 * `scratchroom preview`: what an attendee will see when they press Run, for a task's starter and
 * for its reference solution, so a host can read the messages and hints their checks give before a
 * room does: console output, each check with its message and hint (hidden ones marked: the
 * attendee sees those only after the server's Verify), plots listed by title, metric series, the
 * error with file:line:col, the time taken, and the task's verify verdict.
 *
 * It runs the task exactly as `verify` does ({@link verifyTask}), recording every event.
 */
import type { RunEvent, RunRequest } from "../../sandbox/events.js";
import { printable } from "../../sandbox/cli/run.js";
import { summarizePlot } from "../../sandbox/scratch/summary.js";
import type { Pack, Task } from "./format.js";
import {
  describeError,
  formatDuration,
  type RunSummary,
  type TaskRunner,
  type TaskVerdict,
  verifyTask,
} from "./verify.js";

/** Most console lines shown per run (the room keeps 2000); the rest are counted. */
export const PREVIEW_CONSOLE_LINES = 40;

export interface TaskPreview {
  task: Task;
  verdict: TaskVerdict;
  /** Every event of each run, by the file name the run used ("starter.js", "solution.js"). */
  events: Record<string, RunEvent[]>;
}

/** Runs one task as verify does, keeping every event of its starter and reference runs. */
export async function previewTask(
  runner: TaskRunner,
  pack: Pack,
  task: Task,
  options: { firstFeedbackMs?: number } = {},
): Promise<TaskPreview> {
  const events: Record<string, RunEvent[]> = {};
  const recording: TaskRunner = {
    run(request: RunRequest, onEvent) {
      const list: RunEvent[] = [];
      events[request.filename ?? "main.js"] = list;
      return runner.run(request, (event) => {
        list.push(event);
        onEvent(event);
      });
    },
  };
  const verdict = await verifyTask(recording, pack, task, options);
  return { task, verdict, events };
}

function consoleLine(event: Extract<RunEvent, { type: "console" }>): string {
  const text = printable(event.text);
  return event.level === "log" || event.level === "info" ? text : `[${event.level}] ${text}`;
}

function metricLines(events: readonly RunEvent[]): string[] {
  const series = new Map<string, number[]>();
  for (const e of events) {
    if (e.type !== "metric") continue;
    const values = series.get(e.name) ?? [];
    values.push(e.value);
    series.set(e.name, values);
  }
  return [...series].map(([name, values]) => {
    const last = values.at(-1) ?? Number.NaN;
    return `${printable(name)}: ${values.length} step(s), last ${Number(last.toPrecision(4))}`;
  });
}

/** One run as the attendee sees it, indented under a heading. */
export function formatRun(label: string, run: RunSummary, events: readonly RunEvent[]): string[] {
  const out = [
    `${label}: ${run.status === "ok" ? "finished" : "stopped with an error"} in ${formatDuration(run.durationMs)}`,
  ];
  const consoleEvents = events.filter(
    (e): e is Extract<RunEvent, { type: "console" }> => e.type === "console",
  );
  if (consoleEvents.length > 0) {
    out.push("  console:");
    for (const e of consoleEvents.slice(0, PREVIEW_CONSOLE_LINES)) out.push(`    ${consoleLine(e)}`);
    const more = consoleEvents.length - PREVIEW_CONSOLE_LINES;
    if (more > 0) out.push(`    … ${more} more line(s)`);
  } else out.push("  console: (nothing printed)");
  const checks = run.checks;
  if (checks.length > 0) {
    const passed = checks.filter((c) => c.passed).length;
    out.push(`  checks: ${passed}/${checks.length} pass`);
    for (const c of checks) {
      out.push(
        `    ${c.passed ? "✓" : "✗"} ${c.hidden ? "[hidden, shown after Verify] " : ""}${printable(c.name)}`,
      );
      if (c.message !== undefined) out.push(`        message: ${printable(c.message)}`);
      if (c.hint !== undefined) out.push(`        hint: ${printable(c.hint)}`);
    }
  } else out.push("  checks: none ran");
  const plots = new Map<string, string>();
  for (const e of events) if (e.type === "plot") plots.set(e.plot.id, printable(summarizePlot(e.plot)));
  if (plots.size > 0) {
    out.push("  plots:");
    for (const p of plots.values()) out.push(`    ${p}`);
  }
  const metrics = metricLines(events);
  if (metrics.length > 0) {
    out.push("  metrics:");
    for (const m of metrics) out.push(`    ${m}`);
  }
  if (run.error) out.push(`  error: ${printable(describeError(run.error))}`);
  return out;
}

/** A task's preview as text: heading, starter, reference, verdict. */
export function formatPreview(pack: Pack, preview: TaskPreview): string {
  const { task, verdict, events } = preview;
  const out = [
    `== ${pack.id}/${task.id}: ${printable(task.title)} (budget ${formatDuration(task.timeBudgetMs)}) ==`,
    "",
    ...formatRun("starter (what attendees start from)", verdict.starter, events["starter.js"] ?? []),
    "",
    ...formatRun("reference (solution.js)", verdict.reference, events["solution.js"] ?? []),
    "",
  ];
  if (verdict.ok) out.push("verify: ok");
  else {
    out.push("verify: FAILS");
    for (const p of verdict.problems) out.push(`  - ${printable(p)}`);
  }
  return out.join("\n");
}
