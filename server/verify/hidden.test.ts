/**
 * Verify against a hostile attendee (issue 14 points 1, 2 and 8): through the real server, the
 * real sandbox pool and the demo pack's hidden check (`step(5, 0.25)` must be 4), an attendee's
 * code can neither forge a verification nor learn the hidden check's inputs or expected value from
 * what the verify answer tells it (its message, hint, an error, its run time).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import type { VerificationResult } from "../storage/types.js";
import { workspaceDocName } from "../../contract/doc-names.js";
import {
  type Attendee,
  createSession,
  type HostedSession,
  joinSession,
  startTestServer,
  stopTestServer,
  type TestServer,
} from "../../support/server.js";
import { attendeeResult, DURATION_BUCKETS_MS, durationBucket } from "./verification.js";

const TASK = "gradient-descent";
const HIDDEN_NAME = "steps scale with the learning rate";
/** Right for the visible checks (lr 0.1 from 0, and the minimum), wrong for the hidden one. */
const FIXED_LR = `export function step(x, lr) {\n  return x - 0.1 * 2 * (x - 3);\n}\n`;

/** Hostile programs: each is wrong on the hidden check and tries to hide it or read it. */
const ATTACKS: [string, string][] = [
  [
    "Object.prototype.toJSON forges every check as passed",
    `${FIXED_LR}Object.prototype.toJSON = function () { return this && typeof this.name === "string" && "passed" in this ? { name: this.name, passed: true } : this; };`,
  ],
  [
    "toJSON copies the hidden check's message and hint into its name",
    `${FIXED_LR}try { Object.prototype.toJSON = function () { return this && "passed" in this ? { name: this.name + " | " + this.message + " | " + this.hint, passed: false } : this; }; } catch {}`,
  ],
  ["Math.abs overridden next to a wrong answer", `${FIXED_LR}try { Math.abs = () => 0; } catch {}`],
  [
    "a thrown object whose toString throws the hidden inputs",
    `export function step(x, lr) {
  if (lr === 0.25) throw { toString() { throw new Error("LEAK x=" + x + " lr=" + lr); } };
  return x - 0.1 * 2 * (x - 3);
}`,
  ],
  [
    "the hidden inputs thrown from the attendee's module itself",
    `export function step(x, lr) {
  if (lr === 0.25) Promise.resolve().then(() => { throw new Error("LEAK x=" + x + " lr=" + lr); });
  if (lr === 0.25) throw new Error("LEAK x=" + x + " lr=" + lr);
  return x - 0.1 * 2 * (x - 3);
}`,
  ],
];

describe("verify against a hostile attendee", { timeout: 180_000 }, () => {
  let server: TestServer;
  let host: HostedSession;
  let eve: Attendee;

  beforeAll(async () => {
    server = await startTestServer({ verify: { workers: 1, perSession: 1, maxQueued: 50 } });
    host = await createSession(server);
    eve = await joinSession(server, host.joinCode, "Eve");
  });
  afterAll(() => stopTestServer(server));

  const verifyAs = async (code: string) => {
    await server.rooms.change(workspaceDocName(eve.sessionId, eve.workspaceId), (room) => {
      const text = room.doc.getMap<Y.Text>("files").get(TASK)!;
      text.delete(0, text.length);
      text.insert(0, code);
    });
    const started = performance.now();
    const res = await server.api(`/api/sessions/${host.sessionId}/verify`, {
      method: "POST",
      bearer: eve.token,
      json: { taskId: TASK },
    });
    expect(res.status).toBe(200);
    return { result: res.body.result as VerificationResult, text: JSON.stringify(res.body), started };
  };

  for (const [name, code] of ATTACKS) {
    it(name, async () => {
      const { result, text } = await verifyAs(code);
      expect(result.verified).toBe(false);
      // The hidden check ran and failed, or the attendee's code stopped (frozen built-ins refuse
      // the override) before any check: never a pass, never another name.
      const hidden = result.checks.filter((c) => c.hidden);
      if (result.status === "ok")
        expect(hidden).toEqual([{ name: HIDDEN_NAME, passed: false, hidden: true }]);
      else expect(hidden).toEqual([]);
      // Nothing of the hidden check's inputs (5, 0.25) or expected value (4) reaches the attendee.
      expect(text).not.toMatch(/LEAK|expected 4|0\.25/);
      expect(DURATION_BUCKETS_MS).toContain(result.durationMs);
    });
  }

  it("tells the attendee its run time only as a bucket, and answers no sooner than that bucket ends", async () => {
    const { result, started } = await verifyAs(FIXED_LR);
    expect(result.durationMs).toBe(1_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    // The host still sees the measured duration and the hidden check's message.
    const asHost = await server.api(`/api/sessions/${host.sessionId}/verify`, {
      method: "POST",
      bearer: host.hostKey,
      json: { taskId: TASK, workspaceId: eve.workspaceId },
    });
    const hostView = asHost.body.result as VerificationResult;
    expect(hostView.durationMs).toBeLessThan(1_000);
    expect(hostView.checks.find((c) => c.hidden)?.message).toMatch(/expected 4/);
  });
});

describe("attendeeResult", () => {
  const base: VerificationResult = {
    status: "error",
    checks: [{ name: "h", passed: false, message: "expected 4, got 4.5", hint: "sign?", hidden: true }],
    durationMs: 1234.5,
    verified: false,
  };

  it("keeps only the kind and limit of an error raised while a hidden check ran, wherever it points", () => {
    const shown = attendeeResult({
      ...base,
      error: { kind: "runtime", message: "Error: LEAK 5", module: "main.js", line: 3, inHiddenCheck: true },
    });
    expect(shown.error).toEqual({
      kind: "runtime",
      message: "a hidden check stopped with an error",
      module: "hidden.js",
    });
    expect(shown.checks).toEqual([{ name: "h", passed: false, hidden: true }]);
    expect(shown.durationMs).toBe(5_000);
    const limit = attendeeResult({
      ...base,
      error: {
        kind: "limit",
        limit: "memory",
        message: "Memory limit exceeded",
        module: "main.js",
        line: 7,
        inHiddenCheck: true,
      },
    });
    expect(limit.error).toEqual({
      kind: "limit",
      limit: "memory",
      message: "a hidden check stopped with an error",
      module: "hidden.js",
    });
  });

  it("keeps an error of the attendee's own run as it is", () => {
    const error = {
      kind: "runtime" as const,
      message: "TypeError: x is undefined",
      module: "main.js",
      line: 2,
    };
    expect(attendeeResult({ ...base, error }).error).toEqual(error);
  });

  it("buckets durations", () => {
    expect([0, 999, 1000, 1001, 14_000, 59_000, 61_000].map(durationBucket)).toEqual([
      1_000, 1_000, 1_000, 5_000, 15_000, 60_000, 60_000,
    ]);
  });
});
