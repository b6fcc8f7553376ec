/**
 * What the dashboard shows of server-side verification (docs/api.md, "Verify"): the latest result per
 * workspace and task, from `GET /progress` and the `verify` server-sent events (both parsed with
 * the contract's schemas), and which verifications the host asked for that have not finished. Pure.
 */
import type { VerifyQueueState } from "../../contract/events.js";
import type { Progress } from "../../contract/progress.js";
import type { VerificationRecord } from "../../contract/records.js";

/** The latest verification of one workspace for one task, as the dashboard keeps it. */
export interface VerificationSummary extends Pick<
  VerificationRecord["result"],
  "verified" | "status" | "checks" | "error"
> {
  workspaceId: string;
  taskId: string;
  at: number;
}

/** How one workspace's verification for a task reads on the dashboard. */
export type VerifyMark =
  | { state: "none" }
  | { state: "pending" }
  | { state: "verified" }
  /** Ran to the end but a check failed: the failing hidden check if any (the host may see it), else the first. */
  | { state: "failed"; check: string; hidden: boolean; message?: string }
  | { state: "timeout" }
  | { state: "error"; message: string };

export const verifyKey = (workspaceId: string, taskId: string) => `${workspaceId}\u0000${taskId}`;

export interface VerifyState {
  results: ReadonlyMap<string, VerificationSummary>;
  /** Keys the host asked to verify (with when it asked), until a live result for them arrives. */
  pending: ReadonlyMap<string, number>;
}

export const emptyVerifyState = (): VerifyState => ({ results: new Map(), pending: new Map() });

/**
 * Folds in a result. A `live` one (a `verify` event, or the answer to the host's request) also ends
 * the wait for that workspace; a stored one (from `GET /progress`) may be older than the request.
 */
export function recordVerification(state: VerifyState, v: VerificationSummary, live: boolean): VerifyState {
  const key = verifyKey(v.workspaceId, v.taskId);
  const kept = state.results.get(key);
  const results = kept && kept.at > v.at ? state.results : new Map(state.results).set(key, v);
  return { results, pending: live ? clearPending(state, [key]).pending : state.pending };
}

export function markPending(state: VerifyState, keys: string[], at: number): VerifyState {
  const pending = new Map(state.pending);
  for (const key of keys) pending.set(key, at);
  return { ...state, pending };
}

export function clearPending(state: VerifyState, keys: string[]): VerifyState {
  const pending = new Map(state.pending);
  for (const key of keys) pending.delete(key);
  return { ...state, pending };
}

export function markOf(state: VerifyState, workspaceId: string, taskId: string): VerifyMark {
  const key = verifyKey(workspaceId, taskId);
  if (state.pending.has(key)) return { state: "pending" };
  const v = state.results.get(key);
  if (!v) return { state: "none" };
  if (v.verified) return { state: "verified" };
  if (v.error?.kind === "limit" && v.error.limit === "time") return { state: "timeout" };
  if (v.status === "error") return { state: "error", message: v.error?.message ?? "the run failed" };
  const failed = v.checks.filter((c) => !c.passed);
  const check = failed.find((c) => c.hidden) ?? failed[0];
  if (!check) return { state: "failed", check: "no hidden check ran", hidden: true };
  return {
    state: "failed",
    check: check.name,
    hidden: check.hidden === true,
    ...(check.message ? { message: check.message } : {}),
  };
}

/** "verified ✓", "not verified: <check>", "error: …", "timeout", "verifying…". */
export function describeMark(mark: VerifyMark): string {
  switch (mark.state) {
    case "none":
      return "";
    case "pending":
      return "verifying…";
    case "verified":
      return "verified ✓";
    case "failed":
      return `not verified: ${mark.check}${mark.hidden ? " (hidden)" : ""}`;
    case "timeout":
      return "timeout";
    case "error":
      return `error: ${mark.message}`;
  }
}

/** A verification record (a `verify` event, or the answer to the host's request). */
export function summaryOfVerification(v: VerificationRecord): VerificationSummary {
  const { verified, status, checks, error } = v.result;
  return {
    workspaceId: v.workspaceId,
    taskId: v.taskId,
    at: v.at,
    verified,
    status,
    checks,
    ...(error ? { error } : {}),
  };
}

/** Every stored verification in a `GET /progress` answer. */
export function verificationsOfProgress(progress: Progress): VerificationSummary[] {
  const out: VerificationSummary[] = [];
  for (const p of progress.participants) {
    for (const [taskId, t] of Object.entries(p.tasks)) {
      if (!t.verified) continue;
      const { at, verified, status, checks, error } = t.verified;
      out.push({
        workspaceId: p.workspaceId,
        taskId,
        at,
        verified,
        status,
        checks,
        ...(error ? { error } : {}),
      });
    }
  }
  return out;
}

export type QueueState = VerifyQueueState;
