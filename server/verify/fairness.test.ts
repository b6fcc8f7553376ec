/**
 * Verify fairness end to end (issue 14, finding 5): with one sandbox worker, a session whose host
 * queues a backlog of slow verifications does not hold the pool; another session's verification
 * runs at the next free turn, before that backlog drains; and a session may not fill the queue.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { loadConfig } from "../config.js";
import { workspaceDocName } from "../../contract/doc-names.js";
import {
  type Attendee,
  createSession,
  joinSession,
  startTestServer,
  stopTestServer,
  type TestServer,
} from "../../support/server.js";

const TASK = "gradient-descent";
const REFERENCE = readFileSync(
  join(import.meta.dirname, "..", "..", "sessions", "demo", "tasks", TASK, "solution.js"),
  "utf8",
);
/** Burns most of a second of its run before answering. */
const SLOW = `const until = Date.now() + 700;\nwhile (Date.now() < until) {}\n${REFERENCE}`;

async function setCode(server: TestServer, attendee: Attendee, code: string): Promise<void> {
  await server.rooms.change(workspaceDocName(attendee.sessionId, attendee.workspaceId), (room) => {
    const text = room.doc.getMap<Y.Text>("files").get(TASK)!;
    text.delete(0, text.length);
    text.insert(0, code);
  });
}

describe("verify fairness across sessions", { timeout: 120_000 }, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      verify: { workers: 1, perSession: 1, maxQueued: 50, maxQueuedPerSession: 5 },
    });
  });
  afterAll(() => stopTestServer(server));

  it("runs another session's verification before a flooding session's backlog drains", async () => {
    const flooding = await createSession(server);
    const crowd = await Promise.all(
      ["A1", "A2", "A3", "A4", "A5"].map((name) => joinSession(server, flooding.joinCode, name)),
    );
    for (const attendee of crowd) await setCode(server, attendee, SLOW);
    const honest = await createSession(server);
    const bea = await joinSession(server, honest.joinCode, "Bea");
    await setCode(server, bea, REFERENCE);

    const all = await server.api(`/api/sessions/${flooding.sessionId}/verify`, {
      method: "POST",
      bearer: flooding.hostKey,
      json: { taskId: TASK },
    });
    expect(all.status).toBe(202);
    expect(all.body.queued).toBe(5);

    const mine = await server.api(`/api/sessions/${honest.sessionId}/verify`, {
      method: "POST",
      bearer: bea.token,
      json: { taskId: TASK },
    });
    expect(mine.status).toBe(200);
    expect(mine.body.result.verified).toBe(true);

    // Bea's verification took the turn after the one running when she asked: most of the flooding
    // session's backlog is still waiting (first come, first served would have run all five first).
    const progress = await server.api(`/api/sessions/${flooding.sessionId}/progress`, {
      bearer: flooding.hostKey,
    });
    const verified = (
      progress.body.participants as { tasks: Record<string, { verified: unknown }> }[]
    ).filter((p) => p.tasks[TASK]?.verified).length;
    expect(verified).toBeLessThanOrEqual(2);
    expect(progress.body.verifyQueue.queued).toBeGreaterThanOrEqual(2);

    // Its share of the queue (5) is taken: asking again is refused whole, another session is not.
    const again = await server.api(`/api/sessions/${flooding.sessionId}/verify`, {
      method: "POST",
      bearer: flooding.hostKey,
      json: { taskId: TASK },
    });
    expect(again.status).toBe(429);
    expect(again.body.error).toMatchObject({
      code: "queue_full",
      message: expect.stringMatching(/this session's/),
    });
    const other = await server.api(`/api/sessions/${honest.sessionId}/verify`, {
      method: "POST",
      bearer: honest.hostKey,
      json: { taskId: TASK },
    });
    expect(other.status).toBe(202);
  });

  it("by default lets one session run on one worker fewer than the pool has", () => {
    expect(loadConfig({}).verify).toMatchObject({ workers: 2, perSession: 1 });
    expect(loadConfig({ VERIFY_WORKERS: "4" }).verify).toMatchObject({ workers: 4, perSession: 3 });
    expect(loadConfig({ VERIFY_WORKERS: "1" }).verify.perSession).toBe(1);
    expect(loadConfig({ VERIFY_WORKERS: "2", VERIFY_PER_SESSION: "2" }).verify.perSession).toBe(2);
  });
});
