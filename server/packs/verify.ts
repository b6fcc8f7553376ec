/**
 * `scratchroom verify`: proves a pack works before a room full of people depends on it.
 *
 * For every task it runs, headless in the sandbox,
 *   - the reference solution with the visible and hidden checks: it must finish without error,
 *     within the task's time budget and the 60 s ceiling, run at least one visible check (and one
 *     hidden check when the task has hidden.js), and pass every one;
 *   - the starter code with the same checks: it must fail at least one check or stop with a
 *     runtime error (a starter that already passes teaches nothing), and it must at least load;
 * and it measures how long the reference takes to give its first feedback (a check result or a
 * metric such as a loss value), which must come within 2 s of Run.
 *
 * The runner is injected, so the orchestration is testable without QuickJS.
 */
import type { CheckModule, RunError, RunEvent, RunRequest } from "../../sandbox/events.js";
import type { CheckResult, RunStatus } from "../../contract/run-report.js";
import type { Pack, Task } from "./format.js";

/** Runs one request, calling `onEvent` for each event as it streams; resolves after `done`. */
export interface TaskRunner {
  run(request: RunRequest, onEvent: (event: RunEvent) => void): Promise<unknown>;
}

/** No reference solution may take longer than this, whatever its task's budget says. */
export const CEILING_MS = 60_000;
/** The first check result or metric must arrive within this long after Run. */
export const FIRST_FEEDBACK_MS = 2_000;

export interface RunSummary {
  status: RunStatus;
  error?: RunError;
  checks: CheckResult[];
  /** Run duration reported by the runner, in milliseconds. */
  durationMs: number;
  /** Wall-clock milliseconds from submitting the run to its first check or metric event. */
  firstFeedbackMs: number | null;
}

export interface TaskVerdict {
  pack: string;
  task: string;
  ok: boolean;
  reference: RunSummary;
  starter: RunSummary;
  /** Why the task fails verification; empty when it passes. */
  problems: string[];
}

export interface VerifyOptions {
  /** Tasks verified at once (each uses one runner slot at a time). Default 1: honest timings. */
  jobs?: number;
  /** Called as each task's verdict is known, in completion order. */
  onVerdict?: (verdict: TaskVerdict) => void;
  /** Override of {@link FIRST_FEEDBACK_MS}. */
  firstFeedbackMs?: number;
}

export interface VerifyReport {
  ok: boolean;
  verdicts: TaskVerdict[];
  /** Wall-clock milliseconds for the whole verification. */
  totalMs: number;
}

/** The check modules of a task, as every run of it gets them. */
export function checkModules(task: Task): CheckModule[] {
  const modules: CheckModule[] = [{ name: "checks.js", source: task.checks }];
  if (task.hidden !== null) modules.push({ name: "hidden.js", source: task.hidden, hidden: true });
  return modules;
}

function budgetMs(task: Task): number {
  return Math.min(task.timeBudgetMs, CEILING_MS);
}

/** Runs `source` as the task's attendee module with its visible and hidden checks, within its budget. */
export async function runOnce(
  runner: TaskRunner,
  task: Task,
  source: string,
  filename: string,
): Promise<RunSummary> {
  const request: RunRequest = {
    source,
    filename,
    checks: checkModules(task),
    ...(task.modules ? { allowedModules: task.modules } : {}),
    ...(task.seed !== undefined ? { seed: task.seed } : {}),
    ...(task.packModules ? { packModules: task.packModules } : {}),
    limits: { timeoutMs: budgetMs(task) },
  };
  const started = performance.now();
  const checks: CheckResult[] = [];
  let firstFeedbackMs: number | null = null;
  let done: Extract<RunEvent, { type: "done" }> | undefined;
  await runner.run(request, (event) => {
    if ((event.type === "check" || event.type === "metric") && firstFeedbackMs === null) {
      firstFeedbackMs = performance.now() - started;
    }
    if (event.type === "check") checks.push(event.check);
    if (event.type === "done") done = event;
  });
  if (!done) {
    return {
      status: "error",
      error: { kind: "internal", message: "the runner finished without a done event" },
      checks,
      durationMs: performance.now() - started,
      firstFeedbackMs,
    };
  }
  const finished: Extract<RunEvent, { type: "done" }> = done;
  return {
    status: finished.status,
    ...(finished.error ? { error: finished.error } : {}),
    checks,
    durationMs: finished.durationMs,
    firstFeedbackMs,
  };
}

/** A duration as a person reads it: "50 ms" under a second, else seconds ("1 s", "2.5 s", "1.05 s"). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${Number((ms / 1000).toFixed(2))} s`;
}

/** A run error with where it happened ("solution.js:12:3"), as the CLI shows it. */
export function describeError(error: RunError): string {
  const line =
    error.line !== undefined ? `:${error.line}${error.column !== undefined ? `:${error.column}` : ""}` : "";
  const where = error.module ? `${error.module}${line}` : line ? `line ${line.slice(1)}` : "";
  return `${error.kind}${error.limit ? ` (${error.limit})` : ""} error${where ? ` at ${where}` : ""}: ${error.message}`;
}

function describeCheck(check: CheckResult): string {
  const label = check.hidden ? "hidden check" : "check";
  return `${label} "${check.name}" failed${check.message ? `: ${check.message}` : ""}${check.hint ? ` (${check.hint})` : ""}`;
}

function referenceProblems(task: Task, run: RunSummary, firstFeedbackLimitMs: number): string[] {
  const problems: string[] = [];
  const budget = budgetMs(task);
  if (run.error?.kind === "limit" && run.error.limit === "time") {
    problems.push(`reference solution ran over its time budget of ${formatDuration(budget)}`);
  } else if (run.status === "error") {
    problems.push(`reference solution failed: ${run.error ? describeError(run.error) : "unknown error"}`);
  } else if (run.durationMs > budget) {
    problems.push(
      `reference solution took ${formatDuration(run.durationMs)}, over its time budget of ${formatDuration(budget)}`,
    );
  }
  for (const check of run.checks) if (!check.passed) problems.push(`reference: ${describeCheck(check)}`);
  if (run.status === "ok") {
    if (!run.checks.some((c) => !c.hidden))
      problems.push("checks.js ran no check (it must call check(name, fn))");
    if (task.hidden !== null && !run.checks.some((c) => c.hidden)) {
      problems.push("hidden.js ran no check (it must call check(name, fn))");
    }
  }
  if (run.firstFeedbackMs === null) {
    if (run.status === "ok") problems.push("reference gave no feedback (no check result and no metric)");
  } else if (run.firstFeedbackMs > firstFeedbackLimitMs) {
    problems.push(
      `first feedback after ${formatDuration(run.firstFeedbackMs)}, over the ${formatDuration(firstFeedbackLimitMs)} target (emit a metric or check early)`,
    );
  }
  return problems;
}

function starterProblems(run: RunSummary): string[] {
  if (run.status === "error" && run.error) {
    // A starter may stop at a TODO, but it must load: attendees start from it.
    if (run.error.kind === "syntax" || run.error.kind === "import" || run.error.kind === "internal") {
      return [`starter code does not load: ${describeError(run.error)}`];
    }
    return [];
  }
  if (run.checks.some((c) => !c.passed)) return [];
  if (run.checks.length === 0) return ["starter code ran no check and stopped without error"];
  return [`starter code passes all ${run.checks.length} checks: it must fail at least one`];
}

/** Verifies one task: its reference passes everything, its starter fails something. */
export async function verifyTask(
  runner: TaskRunner,
  pack: Pack,
  task: Task,
  options: Pick<VerifyOptions, "firstFeedbackMs"> = {},
): Promise<TaskVerdict> {
  const reference = await runOnce(runner, task, task.solution, "solution.js");
  const starter = await runOnce(runner, task, task.starter, "starter.js");
  const problems = [
    ...referenceProblems(task, reference, options.firstFeedbackMs ?? FIRST_FEEDBACK_MS),
    ...starterProblems(starter),
  ];
  return { pack: pack.id, task: task.id, ok: problems.length === 0, reference, starter, problems };
}

/** Verifies every task of `packs`, `jobs` at a time; verdicts come back in pack and task order. */
export async function verifyPacks(
  runner: TaskRunner,
  packs: readonly Pack[],
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const started = performance.now();
  const work = packs.flatMap((pack) => pack.tasks.map((task) => ({ pack, task })));
  const verdicts: TaskVerdict[] = new Array<TaskVerdict>(work.length);
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const index = next++;
      const { pack, task } = work[index]!;
      const verdict = await verifyTask(runner, pack, task, options);
      verdicts[index] = verdict;
      options.onVerdict?.(verdict);
    }
  };
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, work.length || 1));
  await Promise.all(Array.from({ length: jobs }, worker));
  return { ok: verdicts.every((v) => v.ok), verdicts, totalMs: performance.now() - started };
}

const seconds = (ms: number | null) => (ms === null ? "—" : (ms / 1000).toFixed(2));

function referenceCell(run: RunSummary): string {
  const passed = run.checks.filter((c) => c.passed).length;
  return run.status === "ok" && passed === run.checks.length && passed > 0
    ? `passes ${passed}/${run.checks.length} checks`
    : `FAILS: passes ${passed}/${run.checks.length} checks`;
}

function starterCell(run: RunSummary): string {
  if (run.status === "error") return `errors (${run.error?.kind ?? "unknown"})`;
  const failed = run.checks.filter((c) => !c.passed).length;
  return failed > 0
    ? `fails ${failed}/${run.checks.length} checks`
    : `PASSES ${run.checks.length}/${run.checks.length} checks`;
}

/** The report as a text table (pack | task | reference | starter | seconds | first feedback), problems and total. */
export function formatReport(report: VerifyReport): string {
  const header = ["pack", "task", "reference", "starter", "seconds", "first feedback"];
  const rows = report.verdicts.map((v) => [
    v.pack,
    v.task,
    referenceCell(v.reference),
    starterCell(v.starter),
    seconds(v.reference.durationMs),
    seconds(v.reference.firstFeedbackMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join(" | ")
      .trimEnd();
  const out = [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)];
  const failed = report.verdicts.filter((v) => !v.ok);
  for (const v of failed) {
    out.push("", `${v.pack}/${v.task}:`);
    for (const p of v.problems) out.push(`  - ${p}`);
  }
  const packs = new Set(report.verdicts.map((v) => v.pack)).size;
  out.push(
    "",
    `${packs} pack(s), ${report.verdicts.length} task(s), ${failed.length} failed; total ${(report.totalMs / 1000).toFixed(1)} s`,
  );
  return out.join("\n");
}

/** The report as JSON-ready data (the README's time table is generated from it). */
export function reportJson(report: VerifyReport): unknown {
  return {
    ok: report.ok,
    totalSeconds: Number((report.totalMs / 1000).toFixed(2)),
    tasks: report.verdicts.map((v) => ({
      pack: v.pack,
      task: v.task,
      ok: v.ok,
      referenceSeconds: Number((v.reference.durationMs / 1000).toFixed(2)),
      firstFeedbackSeconds:
        v.reference.firstFeedbackMs === null ? null : Number((v.reference.firstFeedbackMs / 1000).toFixed(2)),
      referenceChecks: {
        passed: v.reference.checks.filter((c) => c.passed).length,
        total: v.reference.checks.length,
      },
      starter: starterCell(v.starter),
      ...(v.starter.error ? { starterError: describeError(v.starter.error) } : {}),
      problems: v.problems,
    })),
  };
}

/** The report as the markdown time table of sessions/README.md. */
export function formatMarkdown(report: VerifyReport): string {
  const rows = report.verdicts.map(
    (v) =>
      `| ${v.pack} | ${v.task} | ${v.ok ? "pass" : "FAIL"} | ${seconds(v.reference.durationMs)} | ${seconds(v.reference.firstFeedbackMs)} |`,
  );
  return [
    "| pack | task | verify | reference (s) | first feedback (s) |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
    `Total: ${report.verdicts.length} tasks in ${(report.totalMs / 1000).toFixed(1)} s.`,
  ].join("\n");
}
