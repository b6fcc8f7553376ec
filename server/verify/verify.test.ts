/**
 * Verify end to end: a real server, the real sandbox worker pool and the demo pack's hidden check.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { workspaceDocName } from "../../contract/doc-names.js";
import {
  type Attendee,
  createSession,
  type HostedSession,
  joinSession,
  startTestServer,
  stopTestServer,
  type TestServer,
  until,
} from "../../support/server.js";

const TASK = "gradient-descent";
const demoTask = join(import.meta.dirname, "..", "..", "sessions", "demo", "tasks", TASK);
const REFERENCE = readFileSync(join(demoTask, "solution.js"), "utf8");
/** Right for lr = 0.1 and at the minimum, which is all the visible checks try; wrong otherwise. */
const FIXED_LR = `export function step(x, lr) {\n  return x - 0.1 * 2 * (x - 3);\n}\n`;

interface CheckView {
  name: string;
  passed: boolean;
  message?: string;
  hidden?: boolean;
}

async function setCode(server: TestServer, attendee: Attendee, code: string): Promise<void> {
  await server.rooms.change(workspaceDocName(attendee.sessionId, attendee.workspaceId), (room) => {
    const text = room.doc.getMap<Y.Text>("files").get(TASK)!;
    text.delete(0, text.length);
    text.insert(0, code);
  });
}

/** Collects a session's server-sent events as text. */
async function openEvents(server: TestServer, host: HostedSession) {
  const controller = new AbortController();
  const res = await fetch(`${server.url}/api/sessions/${host.sessionId}/events?token=${host.hostKey}`, {
    signal: controller.signal,
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const state = { text: "" };
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        state.text += decoder.decode(value, { stream: true });
      }
    } catch {
      // aborted
    }
  })();
  return { state, close: () => controller.abort() };
}

describe("verify", { timeout: 120_000 }, () => {
  let server: TestServer;
  let host: HostedSession;
  let ada: Attendee;
  let alan: Attendee;
  let grace: Attendee;

  beforeAll(async () => {
    server = await startTestServer({ verify: { workers: 1, perSession: 1, maxQueued: 50 } });
    host = await createSession(server);
    ada = await joinSession(server, host.joinCode, "Ada");
    alan = await joinSession(server, host.joinCode, "Alan");
    grace = await joinSession(server, host.joinCode, "Grace");
  });
  afterAll(() => stopTestServer(server));

  const verify = (bearer: string, json: unknown) =>
    server.api(`/api/sessions/${host.sessionId}/verify`, { method: "POST", bearer, json });

  it("fails a solution that passes the visible checks but not the hidden one", async () => {
    await setCode(server, ada, FIXED_LR);
    const res = await verify(ada.token, { taskId: TASK });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      workspaceId: ada.workspaceId,
      taskId: TASK,
      requestedBy: ada.participantId,
    });
    const checks = res.body.result.checks as CheckView[];
    expect(checks.filter((c) => !c.hidden).map((c) => c.passed)).toEqual([true, true]);
    expect(checks.filter((c) => c.hidden)).toEqual([
      { name: "steps scale with the learning rate", passed: false, hidden: true },
    ]);
    expect(res.body.result).toMatchObject({ status: "ok", verified: false });

    // The host sees why: the hidden check's message is kept for it.
    const asHost = await verify(host.hostKey, { taskId: TASK, workspaceId: ada.workspaceId });
    expect(asHost.status).toBe(200);
    const hidden = (asHost.body.result.checks as CheckView[]).find((c) => c.hidden)!;
    expect(hidden.passed).toBe(false);
    expect(hidden.message).toMatch(/4/);
  });

  it("verifies the reference solution, reading the workspace's current code", async () => {
    await setCode(server, ada, REFERENCE);
    const res = await verify(ada.token, { taskId: TASK, workspaceId: ada.workspaceId });
    expect(res.status).toBe(200);
    expect(res.body.result.verified).toBe(true);
    expect((res.body.result.checks as CheckView[]).map((c) => [c.passed, c.hidden ?? false])).toEqual([
      [true, false],
      [true, false],
      [true, true],
    ]);
    const progress = await server.api(`/api/sessions/${host.sessionId}/progress`, { bearer: host.hostKey });
    const row = progress.body.participants.find(
      (p: { participantId: string }) => p.participantId === ada.participantId,
    );
    expect(row.tasks[TASK].verified).toMatchObject({ verified: true, checksPassed: 3, checksTotal: 3 });
  });

  it("refuses an attendee verifying someone else's workspace, and bad requests", async () => {
    const other = await verify(ada.token, { taskId: TASK, workspaceId: alan.workspaceId });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe("forbidden");
    expect((await verify(ada.token, { taskId: "nope" })).body.error.code).toBe("unknown_task");
    expect((await verify(host.hostKey, { taskId: TASK, workspaceId: "nope" })).status).toBe(404);
    expect((await verify(ada.token, { taskId: TASK, extra: 1 })).status).toBe(400);
    const anonymous = await server.api(`/api/sessions/${host.sessionId}/verify`, {
      method: "POST",
      json: { taskId: TASK },
    });
    expect(anonymous.status).toBe(401);
  });

  it("verifies every workspace for the host through the queue, visible in progress, SSE and /metrics", async () => {
    await setCode(server, alan, FIXED_LR);
    await setCode(server, grace, REFERENCE);
    // Ada's (first in the queue) takes a while, so the queue is still full when /metrics is read.
    await setCode(
      server,
      ada,
      `const until = Date.now() + 1500;\nwhile (Date.now() < until) {}\n${REFERENCE}`,
    );
    const events = await openEvents(server, host);
    await until(() => events.state.text.includes("event: ready"), 5000, "event stream");
    const verdicts = async () => {
      const progress = await server.api(`/api/sessions/${host.sessionId}/progress`, { bearer: host.hostKey });
      return progress.body as {
        verifyQueue: { queued: number; running: number };
        participants: {
          name: string;
          tasks: Record<string, { verified: { id: number; verified: boolean } | null }>;
        }[];
      };
    };
    // Read before "verify all": a fast worker may finish the first one before the 202 is read.
    const before = (await verdicts()).participants.find((p) => p.name === "Ada")!.tasks[TASK]!.verified!.id;
    const all = await verify(host.hostKey, { taskId: TASK });
    expect(all.status).toBe(202);
    // One worker, one per session: one runs, the other two wait.
    expect(all.body).toEqual({ queued: 3, verifyQueue: { queued: 2, running: 1 } });
    const metrics = await fetch(`${server.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^scratchroom_sandbox_verifications_queued 2$/m);
    const queued = await server.api(`/api/sessions/${host.sessionId}/progress`, { bearer: host.hostKey });
    expect(queued.body.verifyQueue.queued + queued.body.verifyQueue.running).toBeGreaterThan(0);

    await until(
      () => (events.state.text.match(/event: verify\n/g) ?? []).length >= 3,
      90_000,
      "three verify events",
    );
    const done = await verdicts();
    expect(done.verifyQueue).toEqual({ queued: 0, running: 0 });
    const byName = Object.fromEntries(done.participants.map((p) => [p.name, p.tasks[TASK]!.verified]));
    expect(byName.Ada!.id).toBeGreaterThan(before);
    expect([byName.Ada!.verified, byName.Alan!.verified, byName.Grace!.verified]).toEqual([
      true,
      false,
      true,
    ]);
    expect(events.state.text).toMatch(/event: verify-queue\ndata: \{"queued":0,"running":0\}/);
    expect(await fetch(`${server.url}/metrics`).then((r) => r.text())).toMatch(
      /^scratchroom_sandbox_verifications_queued 0$/m,
    );
    events.close();
  });
});
