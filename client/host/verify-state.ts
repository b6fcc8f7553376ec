/**
 * What the dashboard shows of server-side verification (design.md §3 verify): the latest result per
 * workspace and task, from `GET /progress` and the `verify` server-sent events, and which
 * verifications the host asked for that have not finished. Pure; parsed defensively.
 */
import type { CheckResult } from "../../sandbox/events.js";
import { isObject, parseChecks } from "./run-notices.js";

export interface VerificationSummary {
  workspaceId: string;
  taskId: string;
  at: number;
  verified: boolean;
  status: "ok" | "error";
  checks: CheckResult[];
  error?: { kind: string; message: string; limit?: string };
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

function parseResult(
  workspaceId: unknown,
  taskId: unknown,
  at: unknown,
  result: Record<string, unknown>,
): VerificationSummary | null {
  if (typeof workspaceId !== "string" || typeof taskId !== "string" || typeof at !== "number") return null;
  const summary: VerificationSummary = {
    workspaceId,
    taskId,
    at,
    verified: result.verified === true,
    status: result.status === "ok" ? "ok" : "error",
    checks: parseChecks(result.checks),
  };
  const error = result.error;
  if (isObject(error) && typeof error.message === "string") {
    summary.error = { kind: String(error.kind ?? "runtime"), message: error.message };
    if (typeof error.limit === "string") summary.error.limit = error.limit;
  }
  return summary;
}

/** A `verify` server-sent event (a Verification record). */
export function parseVerifyEvent(value: unknown): VerificationSummary | null {
  if (!isObject(value) || !isObject(value.result)) return null;
  return parseResult(value.workspaceId, value.taskId, value.at, value.result);
}

/** Every `verified` entry of a `GET /progress` answer. */
export function parseProgressVerifications(value: unknown): VerificationSummary[] {
  const out: VerificationSummary[] = [];
  if (!isObject(value) || !Array.isArray(value.participants)) return out;
  for (const p of value.participants) {
    if (!isObject(p) || !isObject(p.tasks)) continue;
    for (const [taskId, t] of Object.entries(p.tasks)) {
      if (!isObject(t) || !isObject(t.verified)) continue;
      const v = parseResult(p.workspaceId, taskId, t.verified.at, t.verified);
      if (v) out.push(v);
    }
  }
  return out;
}

export interface QueueState {
  queued: number;
  running: number;
}

/** A `verify-queue` event or the `verifyQueue` of `GET /progress`. */
export function parseQueue(value: unknown): QueueState | null {
  if (!isObject(value) || typeof value.queued !== "number" || typeof value.running !== "number") return null;
  return { queued: value.queued, running: value.running };
}
