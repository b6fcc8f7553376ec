import { describe, expect, it } from "vitest";
import { parseSessionEvent } from "../../contract/events.js";
import { progressSchema } from "../../contract/progress.js";
import {
  describeMark,
  emptyVerifyState,
  markOf,
  markPending,
  recordVerification,
  summaryOfVerification,
  verificationsOfProgress,
  verifyKey,
  type VerificationSummary,
} from "./verify-state.js";

const result = (extra: Partial<VerificationSummary> = {}): VerificationSummary => ({
  workspaceId: "w1",
  taskId: "t",
  at: 10,
  verified: false,
  status: "ok",
  checks: [
    { name: "visible", passed: true },
    { name: "steps scale with the learning rate", passed: false, hidden: true, message: "expected 4" },
  ],
  ...extra,
});

describe("verify marks", () => {
  it("names the failing hidden check for the host", () => {
    const state = recordVerification(emptyVerifyState(), result(), true);
    const mark = markOf(state, "w1", "t");
    expect(mark).toEqual({
      state: "failed",
      check: "steps scale with the learning rate",
      hidden: true,
      message: "expected 4",
    });
    expect(describeMark(mark)).toBe("not verified: steps scale with the learning rate (hidden)");
    expect(markOf(state, "w2", "t")).toEqual({ state: "none" });
  });
  it("tells verified, timeout and error apart", () => {
    const mark = (v: Partial<VerificationSummary>) =>
      describeMark(markOf(recordVerification(emptyVerifyState(), result(v), true), "w1", "t"));
    expect(mark({ verified: true })).toBe("verified ✓");
    expect(mark({ status: "error", error: { kind: "limit", limit: "time", message: "ran over" } })).toBe(
      "timeout",
    );
    expect(mark({ status: "error", error: { kind: "runtime", message: "x is not defined" } })).toBe(
      "error: x is not defined",
    );
    expect(mark({ checks: [{ name: "visible", passed: false }] })).toBe("not verified: visible");
  });
  it("shows a request as pending until a live result arrives; stored results do not end the wait", () => {
    let state = markPending(emptyVerifyState(), [verifyKey("w1", "t")], 5);
    expect(markOf(state, "w1", "t")).toEqual({ state: "pending" });
    state = recordVerification(state, result({ at: 1 }), false);
    expect(markOf(state, "w1", "t")).toEqual({ state: "pending" });
    state = recordVerification(state, result({ at: 20, verified: true }), true);
    expect(markOf(state, "w1", "t")).toEqual({ state: "verified" });
    // An older result arriving late does not replace a newer one.
    state = recordVerification(state, result({ at: 15 }), true);
    expect(markOf(state, "w1", "t")).toEqual({ state: "verified" });
  });
});

describe("parsing", () => {
  it("reads verify events and the progress view through the contract's schemas", () => {
    const event = {
      id: 1,
      sessionId: "s",
      workspaceId: "w1",
      taskId: "t",
      at: 3,
      requestedBy: "host",
      result: { status: "ok", verified: true, checks: [{ name: "a", passed: true }], durationMs: 4 },
    };
    const parsed = parseSessionEvent("verify", JSON.stringify(event));
    expect(parsed && summaryOfVerification(parsed)).toEqual({
      workspaceId: "w1",
      taskId: "t",
      at: 3,
      verified: true,
      status: "ok",
      checks: [{ name: "a", passed: true }],
    });
    expect(parseSessionEvent("verify", JSON.stringify({ ...event, result: null }))).toBeNull();
    const verified = {
      id: 7,
      at: 3,
      verified: false,
      status: "error",
      checksPassed: 0,
      checksTotal: 0,
      checks: [],
      error: { kind: "limit", limit: "time", message: "slow" },
    };
    const progress = {
      sessionId: "s",
      tasks: [
        { id: "t", title: "T" },
        { id: "u", title: "U" },
      ],
      participants: [
        {
          participantId: "p1",
          name: "Ada",
          workspaceId: "w1",
          tasks: {
            t: { runs: 0, checksPassed: 0, checksTotal: 0, latestRun: null, verified },
            u: { runs: 0, checksPassed: 0, checksTotal: 0, latestRun: null, verified: null },
          },
        },
      ],
      verifyQueue: { queued: 0, running: 0 },
    };
    expect(verificationsOfProgress(progressSchema.parse(progress))).toEqual([
      {
        workspaceId: "w1",
        taskId: "t",
        at: 3,
        verified: false,
        status: "error",
        checks: [],
        error: { kind: "limit", limit: "time", message: "slow" },
      },
    ]);
    const malformed = {
      ...progress,
      participants: [...progress.participants, { workspaceId: 5, tasks: {} }],
    };
    expect(progressSchema.safeParse(malformed).success).toBe(false);
    expect(parseSessionEvent("verify-queue", '{"queued":2,"running":1}')).toEqual({ queued: 2, running: 1 });
    expect(parseSessionEvent("verify-queue", '{"queued":"2"}')).toBeNull();
  });
});
