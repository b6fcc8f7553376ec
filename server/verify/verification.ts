/**
 * One verification: a workspace's code for a task, run on the server with the task's visible and
 * hidden checks, judged, and shown to an attendee without giving the hidden checks away.
 */
import type { CheckResult } from "../../contract/run-report.js";
import type { Task } from "../packs/format.js";
import { runOnce, type RunSummary, type TaskRunner } from "../packs/verify.js";
import type { VerificationResult } from "../storage/types.js";

/** Verified: it finished cleanly and passed every check, with at least one visible and (if the task has them) one hidden. */
export function isVerified(task: Task, run: RunSummary): boolean {
  return (
    run.status === "ok" &&
    run.checks.length > 0 &&
    run.checks.every((c) => c.passed) &&
    run.checks.some((c) => !c.hidden) &&
    (task.hidden === null || run.checks.some((c) => c.hidden))
  );
}

/** Runs `source` against the task's checks in the sandbox and judges it. */
export async function verifyCode(
  runner: TaskRunner,
  task: Task,
  source: string,
): Promise<VerificationResult> {
  const run = await runOnce(runner, task, source, "main.js");
  return {
    status: run.status,
    checks: run.checks,
    // The stack and column are for pack authors; what is stored is what a report carries.
    ...(run.error
      ? {
          error: {
            kind: run.error.kind,
            message: run.error.message,
            ...(run.error.module ? { module: run.error.module } : {}),
            ...(run.error.line !== undefined ? { line: run.error.line } : {}),
            ...(run.error.limit ? { limit: run.error.limit } : {}),
            ...(run.error.inHiddenCheck ? { inHiddenCheck: true as const } : {}),
          },
        }
      : {}),
    durationMs: run.durationMs,
    verified: isVerified(task, run),
  };
}

/**
 * The run times an attendee is told, in milliseconds: a run's duration is reported as the first
 * bound at or above it. A hidden check's inputs reach the attendee's code, which could otherwise
 * spend time in proportion to them and read the duration back.
 */
export const DURATION_BUCKETS_MS: readonly number[] = [1_000, 5_000, 15_000, 30_000, 60_000];

/** The coarse duration an attendee sees for a run of `ms` milliseconds. */
export function durationBucket(ms: number): number {
  return DURATION_BUCKETS_MS.find((b) => ms <= b) ?? 60_000;
}

/**
 * What an attendee sees of a result: hidden checks by name and outcome only (their messages and
 * hints quote the expected values); an error raised while a hidden check module ran (wherever it
 * points: the attendee's own code may throw a hidden input) as its kind and limit only; and the
 * duration as a coarse bucket.
 */
export function attendeeResult(result: VerificationResult): VerificationResult {
  const checks = result.checks.map((c): CheckResult =>
    c.hidden ? { name: c.name, passed: c.passed, hidden: true } : c,
  );
  const raw = result.error;
  const error =
    raw && (raw.inHiddenCheck === true || raw.module === "hidden.js")
      ? {
          kind: raw.kind,
          message: "a hidden check stopped with an error",
          module: "hidden.js",
          ...(raw.limit ? { limit: raw.limit } : {}),
        }
      : raw;
  return { ...result, checks, ...(error ? { error } : {}), durationMs: durationBucket(result.durationMs) };
}
