/**
 * Session summary over HTTP: the host's summary, the share link and its summary-scoped token
 * (works; wrong, expired and other-session tokens are refused; attendee tokens are refused; the
 * summary token opens no host route and no sync doc).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionDocName } from "../../contract/doc-names.js";
import {
  type Attendee,
  createSession,
  type HostedSession,
  joinSession,
  startTestServer,
  stopTestServer,
  type TestServer,
  upgradeStatus,
  storeVerified,
} from "../../support/server.js";

const TASK = "gradient-descent";

describe("session summary", () => {
  let server: TestServer;
  let host: HostedSession;
  let other: HostedSession;
  let ada: Attendee;
  let bob: Attendee;

  const tokenOf = (url: string) => new URL(url).hash.replace(/^#token=/, "");
  const shared = (sid: string, token?: string) =>
    server.api(`/api/summaries/${sid}`, token === undefined ? {} : { bearer: token });
  const makeLink = async (session: HostedSession, json: unknown = {}) => {
    const res = await server.api(`/api/sessions/${session.sessionId}/summary-link`, {
      method: "POST",
      bearer: session.hostKey,
      json,
    });
    expect(res.status).toBe(201);
    return res.body as { url: string; expiresAt: number };
  };

  beforeAll(async () => {
    server = await startTestServer();
    host = await createSession(server);
    other = await createSession(server);
    ada = await joinSession(server, host.joinCode, "Ada");
    bob = await joinSession(server, host.joinCode, "Bob");
    const post = (who: Attendee, json: unknown) =>
      server.api(`/api/sessions/${host.sessionId}/runs`, { method: "POST", bearer: who.token, json });
    const checks = (second: boolean) => [
      { name: "one step", passed: true },
      { name: "fixed point", passed: second },
    ];
    expect(
      (
        await post(ada, {
          taskId: TASK,
          status: "ok",
          checks: checks(true),
          metrics: { loss: [2, 1, 0.5] },
          durationMs: 3,
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await post(bob, {
          taskId: TASK,
          status: "ok",
          checks: checks(false),
          metrics: { loss: [2, 3] },
          nonFinite: { loss: { step: 2, value: "NaN" } },
          durationMs: 3,
        })
      ).status,
    ).toBe(201);
    await storeVerified(server, host, ada.workspaceId, TASK);
    await server.rooms.change(sessionDocName(host.sessionId), (room) => {
      room.doc.getArray("broadcasts").push([{ id: "b1", at: 1, markdown: "**Bold** <script>x()</script>" }]);
    });
  });
  afterAll(() => stopTestServer(server));

  it("gives the host who completed what, the broadcasts and the curves", async () => {
    const res = await server.api(`/api/sessions/${host.sessionId}/summary`, { bearer: host.hostKey });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      sessionId: host.sessionId,
      pack: { id: "demo" },
      names: "shown",
      participants: 2,
    });
    const task = res.body.tasks.find((t: { id: string }) => t.id === TASK);
    expect(task.counts).toEqual({ attempted: 2, completed: 1, verified: 1 });
    expect(task.people).toEqual([
      { name: "Ada", runs: 1, completed: true, verified: true, workspaceId: ada.workspaceId },
      { name: "Bob", runs: 1, completed: false, verified: null, workspaceId: bob.workspaceId },
    ]);
    expect(task.curves.loss).toEqual([
      { name: "Ada", values: [2, 1, 0.5] },
      { name: "Bob", values: [2, 3], nonFinite: { step: 2, value: "NaN" } },
    ]);
    expect(res.body.broadcasts).toEqual([{ at: 1, markdown: "**Bold** <script>x()</script>" }]);
  });

  it("is host-only", async () => {
    expect((await server.api(`/api/sessions/${host.sessionId}/summary`)).status).toBe(401);
    expect((await server.api(`/api/sessions/${host.sessionId}/summary`, { bearer: ada.token })).status).toBe(
      403,
    );
    const link = await server.api(`/api/sessions/${host.sessionId}/summary-link`, {
      method: "POST",
      bearer: ada.token,
      json: {},
    });
    expect(link.status).toBe(403);
    const bad = await server.api(`/api/sessions/${host.sessionId}/summary-link`, {
      method: "POST",
      bearer: host.hostKey,
      json: { days: 0 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_body");
  });

  it("shares the same summary through a link whose token is in the fragment, names shown or anonymised", async () => {
    const link = await makeLink(host);
    expect(link.url).toMatch(new RegExp(`^${server.publicUrl}/summary/${host.sessionId}#token=`));
    expect(link.expiresAt).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
    const res = await shared(host.sessionId, tokenOf(link.url));
    expect(res.status).toBe(200);
    const own = await server.api(`/api/sessions/${host.sessionId}/summary`, { bearer: host.hostKey });
    expect({ ...res.body, generatedAt: 0 }).toEqual({ ...own.body, generatedAt: 0 });

    const anonymous = await shared(host.sessionId, tokenOf((await makeLink(host, { names: false })).url));
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.names).toBe("anonymised");
    expect(JSON.stringify(anonymous.body)).not.toMatch(/Ada|Bob/);
    expect(JSON.stringify(anonymous.body)).not.toContain(ada.workspaceId);
    expect(anonymous.body.tasks[0].people.map((p: { name: string }) => p.name)).toEqual([
      "Participant 1",
      "Participant 2",
    ]);
  });

  it("refuses missing, wrong, expired, other-session and attendee tokens", async () => {
    const token = tokenOf((await makeLink(host)).url);
    expect((await shared(host.sessionId)).status).toBe(401);
    const tampered = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
    expect((await shared(host.sessionId, tampered)).status).toBe(401);
    expect((await shared(host.sessionId, "garbage")).status).toBe(401);
    expect((await shared(host.sessionId, ada.token)).status).toBe(401);
    expect((await shared(host.sessionId, host.hostKey)).status).toBe(401);
    const otherToken = tokenOf((await makeLink(other)).url);
    const foreign = await shared(host.sessionId, otherToken);
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe("forbidden");
    expect((await shared("no-such-session", token)).status).toBe(404);

    const signer = (server.sessions as unknown as { signer: { signSummary(c: object): string } }).signer;
    const expired = signer.signSummary({ sid: host.sessionId, names: true, exp: Date.now() - 1 });
    const res = await shared(host.sessionId, expired);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/expired/);
  });

  it("a summary token opens no host route, no attendee route and no sync doc", async () => {
    const token = tokenOf((await makeLink(host)).url);
    for (const path of ["", "/progress", "/summary", "/export", "/me", "/tasks"]) {
      const res = await server.api(`/api/sessions/${host.sessionId}${path}`, { bearer: token });
      expect(res.status, path).toBe(401);
    }
    const run = await server.api(`/api/sessions/${host.sessionId}/runs`, {
      method: "POST",
      bearer: token,
      json: { taskId: TASK, status: "ok", checks: [], metrics: {}, durationMs: 1 },
    });
    expect(run.status).toBe(401);
    const link = await server.api(`/api/sessions/${host.sessionId}/summary-link`, {
      method: "POST",
      bearer: token,
      json: {},
    });
    expect(link.status).toBe(401);
    const events = await fetch(`${server.url}/api/sessions/${host.sessionId}/events?token=${token}`);
    expect(events.status).toBe(401);
    const q = encodeURIComponent(token);
    expect(await upgradeStatus(`${server.wsUrl}/${sessionDocName(host.sessionId)}?token=${q}`)).toBe(401);
    expect(
      await upgradeStatus(`${server.wsUrl}/workspace/${host.sessionId}/${ada.workspaceId}?token=${q}`),
    ).toBe(401);
  });
});
