/**
 * Pairing through the HTTP API and the sync endpoint: a pair shares one workspace doc (both type,
 * both see), access follows the participant's current workspace, unpairing leaves both with the
 * code, and every refusal has its own code.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebsocketProvider } from "y-websocket";
import type * as Y from "yjs";
import type { RunReport } from "../../contract/run-report.js";
import {
  type Attendee,
  connect,
  createSession,
  type HostedSession,
  joinSession,
  RawClient,
  startTestServer,
  stopTestServer,
  synced,
  type TestServer,
  until,
  upgradeStatus,
} from "../../support/server.js";

const TASK = "gradient-descent";
const workspaceDoc = (sid: string, wid: string) => `workspace/${sid}/${wid}`;

describe("pairing", () => {
  let server: TestServer;
  const providers: WebsocketProvider[] = [];
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const p of providers) p.destroy();
    await stopTestServer(server);
  });

  const open = (docName: string, token: string) => {
    const p = connect(server, docName, token);
    providers.push(p);
    return p;
  };
  const text = (p: WebsocketProvider) => p.doc.getMap<Y.Text>("files").get(TASK)?.toString() ?? "";
  const type = (p: WebsocketProvider, s: string) => {
    const t = p.doc.getMap<Y.Text>("files").get(TASK)!;
    t.insert(t.length, s);
  };
  const canOpen = (sid: string, wid: string, token: string) =>
    upgradeStatus(`${server.wsUrl}/${workspaceDoc(sid, wid)}?token=${encodeURIComponent(token)}`);
  const hostApi = (host: HostedSession, path: string, init: { method?: string; json?: unknown } = {}) =>
    server.api(`/api/sessions/${host.sessionId}${path}`, { ...init, bearer: host.hostKey });
  const me = async (a: Attendee) =>
    (await server.api(`/api/sessions/${a.sessionId}/me`, { bearer: a.token })).body as {
      workspaceId: string;
    };
  /** The session doc as the server holds it. */
  const sessionDoc = (sid: string) =>
    server.rooms.read(`session/${sid}`, (room) => ({
      roster: room.doc.getMap("roster").toJSON() as Record<string, { workspaceId: string }>,
      pairs: room.doc.getMap("pairs").toJSON() as Record<
        string,
        { members: string[]; driver: string; swapEveryMinutes: number | null; swappedAt: number }
      >,
    }));

  describe("a manual pair", () => {
    let host: HostedSession;
    let ada: Attendee;
    let bob: Attendee;
    let pairWid: string;
    let adaEditor: WebsocketProvider;
    let bobEditor: WebsocketProvider;

    beforeAll(async () => {
      host = await createSession(server);
      ada = await joinSession(server, host.joinCode, "Ada");
      bob = await joinSession(server, host.joinCode, "Bob");
    });

    it("shares the first member's workspace; the second's open editor is closed with a reason", async () => {
      const bobsOwn = await RawClient.open(server, workspaceDoc(bob.sessionId, bob.workspaceId), bob.token);
      const before = Date.now();
      const res = await hostApi(host, "/pairs", {
        method: "POST",
        json: { participantIds: [ada.participantId, bob.participantId], swapEveryMinutes: 10 },
      });
      expect(res.status).toBe(201);
      pairWid = ada.workspaceId;
      expect(res.body).toMatchObject({
        workspaceId: pairWid,
        members: [ada.participantId, bob.participantId],
        names: ["Ada", "Bob"],
        driver: ada.participantId,
        swapEveryMinutes: 10,
      });
      expect(res.body.swappedAt).toBeGreaterThanOrEqual(before);
      expect(await bobsOwn.closed()).toBe(4409);
      expect(bobsOwn.closeReason).toMatch(/paired/);

      const doc = await sessionDoc(host.sessionId);
      expect(doc.roster[bob.participantId]!.workspaceId).toBe(pairWid);
      expect(doc.pairs[pairWid]).toMatchObject({ members: [ada.participantId, bob.participantId] });
      expect((await me(bob)).workspaceId).toBe(pairWid);
      expect((await hostApi(host, "/pairs")).body.pairs).toEqual([res.body]);
    });

    it("the partner's token (unchanged) opens the pair doc and no longer its old workspace", async () => {
      expect(await canOpen(host.sessionId, pairWid, bob.token)).toBe(101);
      expect(await canOpen(host.sessionId, bob.workspaceId, bob.token)).toBe(403);
      expect(await canOpen(host.sessionId, pairWid, ada.token)).toBe(101);
    });

    it("both type and both see", async () => {
      adaEditor = open(workspaceDoc(host.sessionId, pairWid), ada.token);
      bobEditor = open(workspaceDoc(host.sessionId, pairWid), bob.token);
      await Promise.all([synced(adaEditor), synced(bobEditor)]);
      type(adaEditor, "\n// ada was here");
      type(bobEditor, "\n// bob too");
      await until(() => text(adaEditor).includes("// bob too"), 5000, "Ada sees Bob's line");
      await until(() => text(bobEditor).includes("// ada was here"), 5000, "Bob sees Ada's line");
    });

    it("swaps driver and navigator", async () => {
      const before = (await sessionDoc(host.sessionId)).pairs[pairWid]!.swappedAt;
      const res = await hostApi(host, `/pairs/${pairWid}/swap`, { method: "POST" });
      expect(res.status).toBe(200);
      expect(res.body.driver).toBe(bob.participantId);
      const after = (await sessionDoc(host.sessionId)).pairs[pairWid]!;
      expect(after.driver).toBe(bob.participantId);
      expect(after.swappedAt).toBeGreaterThanOrEqual(before);
      await hostApi(host, `/pairs/${pairWid}/swap`, { method: "POST" });
      expect((await sessionDoc(host.sessionId)).pairs[pairWid]!.driver).toBe(ada.participantId);
    });

    it("unpairing leaves both with the code, in separate workspaces", async () => {
      let bobClosed: { code: number; reason: string } | null = null;
      bobEditor.on("closed", (event) => (bobClosed = event));
      const shared = text(adaEditor);
      expect(shared).toContain("// bob too");
      const res = await hostApi(host, `/pairs/${pairWid}`, { method: "DELETE" });
      expect(res.status).toBe(200);
      const copyWid = res.body.workspaceIds[bob.participantId] as string;
      expect(res.body.workspaceIds[ada.participantId]).toBe(pairWid);
      expect(copyWid).not.toBe(pairWid);
      expect(copyWid).not.toBe(bob.workspaceId);

      // Bob's connection to the pair doc is closed for good (44xx: no reconnect), with a reason.
      await until(() => bobClosed !== null, 5000, "Bob's pair doc closed");
      expect(bobClosed).toMatchObject({ code: 4409, reason: expect.stringMatching(/unpaired/) });
      expect(await canOpen(host.sessionId, pairWid, bob.token)).toBe(403);
      expect(await canOpen(host.sessionId, copyWid, bob.token)).toBe(101);
      expect(await canOpen(host.sessionId, copyWid, ada.token)).toBe(403);
      expect((await me(bob)).workspaceId).toBe(copyWid);

      const doc = await sessionDoc(host.sessionId);
      expect(doc.pairs[pairWid]).toBeUndefined();
      expect(doc.roster[bob.participantId]!.workspaceId).toBe(copyWid);

      const bobsCopy = open(workspaceDoc(host.sessionId, copyWid), bob.token);
      await synced(bobsCopy);
      expect(text(bobsCopy)).toBe(shared);
      expect(text(adaEditor)).toBe(shared);

      // Further edits no longer cross.
      type(bobsCopy, "\n// only bob");
      type(adaEditor, "\n// only ada");
      await server.rooms.flush();
      await new Promise((r) => setTimeout(r, 300));
      expect(text(adaEditor)).not.toContain("// only bob");
      expect(text(bobsCopy)).not.toContain("// only ada");
      expect((await hostApi(host, "/pairs")).body.pairs).toEqual([]);
    });

    it("verify all skips the workspace Bob left behind when he was paired", async () => {
      const res = await hostApi(host, "/verify", { method: "POST", json: { taskId: TASK } });
      expect(res.status).toBe(202);
      expect(res.body.queued).toBe(2);
    });

    it("the session view keeps every workspace, Bob's first one included", async () => {
      const view = await hostApi(host, "");
      const owners = Object.fromEntries(
        (view.body.workspaces as { workspaceId: string; participantIds: string[] }[]).map((w) => [
          w.workspaceId,
          w.participantIds,
        ]),
      );
      expect(owners[bob.workspaceId]).toEqual([]);
      expect(owners[pairWid]).toEqual([ada.participantId]);
    });
  });

  describe("refusals", () => {
    let host: HostedSession;
    let a: Attendee;
    let b: Attendee;
    let c: Attendee;
    beforeAll(async () => {
      host = await createSession(server);
      a = await joinSession(server, host.joinCode, "A");
      b = await joinSession(server, host.joinCode, "B");
      c = await joinSession(server, host.joinCode, "C");
    });
    const pair = (ids: unknown, bearer = host.hostKey) =>
      server.api(`/api/sessions/${host.sessionId}/pairs`, {
        method: "POST",
        json: { participantIds: ids },
        bearer,
      });

    it("same person twice, unknown participant, bad body, not the host", async () => {
      expect(await pair([a.participantId, a.participantId])).toMatchObject({
        status: 400,
        body: { error: { code: "same_participant" } },
      });
      expect(await pair([a.participantId, "nobody"])).toMatchObject({
        status: 404,
        body: { error: { code: "unknown_participant" } },
      });
      expect(await pair([a.participantId])).toMatchObject({
        status: 400,
        body: { error: { code: "invalid_body" } },
      });
      expect(await pair([a.participantId, b.participantId], a.token)).toMatchObject({
        status: 403,
        body: { error: { code: "forbidden" } },
      });
      const badSwap = await hostApi(host, "/pairs", {
        method: "POST",
        json: { participantIds: [a.participantId, b.participantId], swapEveryMinutes: 0 },
      });
      expect(badSwap.body.error.code).toBe("invalid_body");
    });

    it("already paired; not paired", async () => {
      expect((await pair([a.participantId, b.participantId])).status).toBe(201);
      expect(await pair([c.participantId, b.participantId])).toMatchObject({
        status: 409,
        body: { error: { code: "already_paired", message: "B is already paired; unpair them first" } },
      });
      for (const [method, path] of [
        ["DELETE", `/pairs/${c.workspaceId}`],
        ["POST", `/pairs/${c.workspaceId}/swap`],
      ] as const) {
        expect(await hostApi(host, path, { method })).toMatchObject({
          status: 404,
          body: { error: { code: "not_paired" } },
        });
      }
    });

    it("two pairings of the same person at once: one wins", async () => {
      const d = await joinSession(server, host.joinCode, "D");
      const results = await Promise.all([
        pair([c.participantId, d.participantId]),
        pair([d.participantId, c.participantId]),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    });
  });

  describe("auto-pairing", () => {
    const report = (passed: number): RunReport => ({
      taskId: TASK,
      status: "ok",
      checks: Array.from({ length: 4 }, (_, i) => ({ name: `c${i}`, passed: i < passed })),
      metrics: {},
      durationMs: 5,
    });

    it("random pairs everyone unpaired and says who stays solo", async () => {
      const host = await createSession(server);
      const people = await Promise.all(["P", "Q", "R"].map((n) => joinSession(server, host.joinCode, n)));
      const res = await hostApi(host, "/pairs/auto", {
        method: "POST",
        json: { mode: "random", swapEveryMinutes: 5 },
      });
      expect(res.status).toBe(200);
      expect(res.body.pairs).toHaveLength(1);
      expect(res.body.pairs[0].swapEveryMinutes).toBe(5);
      const ids = [...res.body.pairs[0].members, res.body.solo.participantId].sort();
      expect(ids).toEqual(people.map((p) => p.participantId).sort());
      // Nobody unpaired left but the solo one: a second round pairs nobody.
      const again = await hostApi(host, "/pairs/auto", { method: "POST", json: { mode: "random" } });
      expect(again.body).toMatchObject({ pairs: [], solo: { participantId: res.body.solo.participantId } });
    });

    it("mixed pairs the fastest with the slowest on the task; the slower drives in the faster's workspace", async () => {
      const host = await createSession(server);
      const [fast, good, fair, slow, mid] = (await Promise.all(
        ["Fast", "Good", "Fair", "Slow", "Mid"].map((n) => joinSession(server, host.joinCode, n)),
      )) as [Attendee, Attendee, Attendee, Attendee, Attendee];
      const runs: [Attendee, number][] = [
        [fast, 4],
        [good, 3],
        [mid, 2],
        [fair, 1],
      ];
      for (const [who, passed] of runs) {
        const r = await server.api(`/api/sessions/${host.sessionId}/runs`, {
          method: "POST",
          json: report(passed),
          bearer: who.token,
        });
        expect(r.status).toBe(201);
      }
      const res = await hostApi(host, "/pairs/auto", { method: "POST", json: { mode: "mixed" } });
      expect(res.status).toBe(200);
      expect(res.body.taskId).toBe(TASK);
      expect(res.body.pairs.map((p: { names: string[] }) => p.names)).toEqual([
        ["Fast", "Slow"],
        ["Good", "Fair"],
      ]);
      expect(res.body.pairs[0]).toMatchObject({
        workspaceId: fast!.workspaceId,
        driver: slow!.participantId,
      });
      expect(res.body.solo).toEqual({ participantId: mid!.participantId, name: "Mid" });
      expect(
        await hostApi(host, "/pairs/auto", { method: "POST", json: { mode: "mixed", taskId: "nope" } }),
      ).toMatchObject({ status: 400, body: { error: { code: "unknown_task" } } });
      expect(
        (await hostApi(host, "/pairs/auto", { method: "POST", json: { mode: "clever" } })).body.error.code,
      ).toBe("invalid_body");
    });
  });

  describe("the pair plan", () => {
    it("pairs planned names as soon as both have joined, and shows who is missing", async () => {
      const host = await createSession(server);
      const early = await joinSession(server, host.joinCode, "Grace");
      const put = await server.api(`/api/sessions/${host.sessionId}/pair-plan`, {
        method: "PUT",
        body: "ada & grace\nAlan, Édouard\n",
        headers: { "content-type": "text/plain; charset=utf-8" },
        bearer: host.hostKey,
      });
      expect(put.status).toBe(200);
      expect(put.body.pairs).toEqual([
        { names: ["ada", "grace"], status: "waiting", missing: ["ada"], workspaceId: null },
        { names: ["Alan", "Édouard"], status: "waiting", missing: ["Alan", "Édouard"], workspaceId: null },
      ]);

      // Ada joins: paired with Grace at once, in Grace's workspace (she was here first); Ada drives.
      const ada = await joinSession(server, host.joinCode, "  ADA ");
      expect(ada.workspaceId).toBe(early.workspaceId);
      expect(await canOpen(host.sessionId, early.workspaceId, ada.token)).toBe(101);
      const pairs = (await hostApi(host, "/pairs")).body.pairs;
      expect(pairs).toMatchObject([
        {
          workspaceId: early.workspaceId,
          members: [early.participantId, ada.participantId],
          driver: ada.participantId,
        },
      ]);
      const alan = await joinSession(server, host.joinCode, "Alan");
      expect(alan.workspaceId).not.toBe(early.workspaceId);
      const plan = (await hostApi(host, "/pair-plan")).body.pairs;
      expect(plan).toEqual([
        { names: ["ada", "grace"], status: "paired", missing: [], workspaceId: early.workspaceId },
        { names: ["Alan", "Édouard"], status: "waiting", missing: ["Édouard"], workspaceId: null },
      ]);
    });

    it("a plan set after people joined pairs those already here; one paired elsewhere is 'taken'", async () => {
      const host = await createSession(server);
      const [a, b, c, d] = await Promise.all(
        ["Ann", "Ben", "Cy", "Di"].map((n) => joinSession(server, host.joinCode, n)),
      );
      await hostApi(host, "/pairs", {
        method: "POST",
        json: { participantIds: [c!.participantId, d!.participantId] },
      });
      const put = await hostApi(host, "/pair-plan", {
        method: "PUT",
        json: {
          pairs: [
            ["Ann", "Ben"],
            ["Cy", "Zed"],
            ["Di", "Eve"],
          ],
        },
      });
      expect(put.status).toBe(200);
      expect(put.body.pairs.map((p: { status: string }) => p.status)).toEqual([
        "paired",
        "waiting",
        "waiting",
      ]);
      expect((await me(b!)).workspaceId).toBe(a!.workspaceId);
      const later = await hostApi(host, "/pair-plan", { method: "PUT", json: { text: "Cy and Ann" } });
      expect(later.body.pairs).toEqual([
        { names: ["Cy", "Ann"], status: "taken", missing: [], workspaceId: null },
      ]);
    });

    it("refuses a malformed plan with the line that is wrong", async () => {
      const host = await createSession(server);
      expect(
        await hostApi(host, "/pair-plan", { method: "PUT", json: { text: "Ada, Grace\nAlan" } }),
      ).toMatchObject({
        status: 400,
        body: { error: { code: "invalid_pair_plan", message: /^line 2:/ } },
      });
      expect(
        await hostApi(host, "/pair-plan", {
          method: "PUT",
          json: {
            pairs: [
              ["Ada", "Grace"],
              ["Grace", "Alan"],
            ],
          },
        }),
      ).toMatchObject({ status: 400, body: { error: { code: "invalid_pair_plan" } } });
      expect(
        (await hostApi(host, "/pair-plan", { method: "PUT", json: { names: [] } })).body.error.code,
      ).toBe("invalid_body");
    });
  });
});
