/**
 * Workspace history end to end: versions kept at runs and while editing, who may read them, the
 * share link's rule, restore reaching a pair partner's stock y-websocket client, the export's
 * history lines, and history surviving compaction and a restart over the same SQLite file.
 */
import { strFromU8, unzipSync } from "fflate";
import { afterEach, describe, expect, it } from "vitest";
import type { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import {
  historyLineSchema,
  historyTextSchema,
  restoredSchema,
  workspaceHistorySchema,
  type WorkspaceHistory,
} from "../../contract/history.js";
import type { RunReport } from "../../contract/run-report.js";
import { rmSync } from "node:fs";
import {
  type Attendee,
  connect,
  createSession,
  type HostedSession,
  joinSession,
  remote,
  spawnServe,
  startTestServer,
  tempDataDir,
  stopTestServer,
  synced,
  type TestServer,
  until,
} from "../../support/server.js";

const TASK = "gradient-descent";
const workspaceDoc = (a: Attendee) => `workspace/${a.sessionId}/${a.workspaceId}`;

/** Polls `read` until `ok` holds of its answer. */
async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() - start > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const failingReport: RunReport = {
  taskId: TASK,
  status: "ok",
  checks: [
    { name: "moves toward 3", passed: true },
    { name: "converges", passed: false, message: "off by 2" },
  ],
  metrics: { loss: [1, 0.5] },
  nonFinite: { loss: { step: 2, value: "NaN" } },
  durationMs: 5,
};

describe("workspace history", () => {
  const servers: TestServer[] = [];
  const providers: WebsocketProvider[] = [];
  afterEach(async () => {
    for (const p of providers.splice(0)) p.destroy();
    for (const s of servers.splice(0)) await stopTestServer(s);
  });

  async function start(dataDir?: string): Promise<TestServer> {
    const server = await startTestServer({
      historyIntervalMs: 100,
      compactAfterUpdates: 5,
      ...(dataDir ? { dataDir } : {}),
    });
    servers.push(server);
    return server;
  }

  function open(
    server: TestServer,
    doc: string,
    token: string,
  ): { provider: WebsocketProvider; text: () => Y.Text } {
    const ydoc = new Y.Doc();
    const provider = connect(server, doc, token, ydoc);
    providers.push(provider);
    return { provider, text: () => ydoc.getMap<Y.Text>("files").get(TASK)! };
  }

  const historyOf = (server: TestServer, sid: string, wid: string, token: string) =>
    server.api(`/api/sessions/${sid}/workspaces/${wid}/history`, { bearer: token });

  async function versionsOf(server: TestServer, host: HostedSession, wid: string): Promise<WorkspaceHistory> {
    const res = await historyOf(server, host.sessionId, wid, host.hostKey);
    expect(res.status).toBe(200);
    return workspaceHistorySchema.parse(res.body);
  }

  async function textOf(server: TestServer, sid: string, wid: string, vid: number, token: string) {
    const res = await server.api(`/api/sessions/${sid}/workspaces/${wid}/history/${vid}`, { bearer: token });
    expect(res.status).toBe(200);
    return historyTextSchema.parse(res.body);
  }

  it("keeps a version while editing and one at each run with its outcome; attendees read only their own", async () => {
    const server = await start();
    const host = await createSession(server);
    const ada = await joinSession(server, host.joinCode, "Ada");
    const bob = await joinSession(server, host.joinCode, "Bob");
    const { provider, text } = open(server, workspaceDoc(ada), ada.token);
    await synced(provider);
    text().insert(0, "// ada was here\n");

    const edited = await eventually(
      () => versionsOf(server, host, ada.workspaceId),
      (h) => h.versions.some((v) => v.runId === null && v.length === text().length),
      "a version of the edit",
    );
    const editVersion = edited.versions.find((v) => v.length === text().length)!;
    expect((await textOf(server, host.sessionId, ada.workspaceId, editVersion.id, host.hostKey)).text).toBe(
      text().toString(),
    );

    // A run, with the text unchanged since the last version: its version is kept, linked to the run.
    const run = await server.api(`/api/sessions/${host.sessionId}/runs`, {
      method: "POST",
      bearer: ada.token,
      json: failingReport,
    });
    expect(run.status).toBe(201);
    const afterRun = await versionsOf(server, host, ada.workspaceId);
    const atRun = afterRun.versions.find((v) => v.runId === run.body.id)!;
    expect(atRun).toMatchObject({
      file: TASK,
      length: text().length,
      run: {
        id: run.body.id,
        taskId: TASK,
        status: "ok",
        passed: 1,
        failed: 1,
        firstFailing: "converges",
        nonFinite: ["loss"],
        checks: [
          { name: "moves toward 3", passed: true },
          { name: "converges", passed: false },
        ],
      },
    });

    // Ada reads her own; not Bob's (403), and not Bob's version through her workspace (404).
    const own = await historyOf(server, host.sessionId, ada.workspaceId, ada.token);
    expect(own.status).toBe(200);
    expect(workspaceHistorySchema.parse(own.body)).toEqual(afterRun);
    expect((await textOf(server, host.sessionId, ada.workspaceId, atRun.id, ada.token)).text).toBe(
      text().toString(),
    );
    expect((await historyOf(server, host.sessionId, bob.workspaceId, ada.token)).status).toBe(403);
    const bobsVersions = await eventually(
      () => versionsOf(server, host, bob.workspaceId),
      (h) => h.versions.length > 0,
      "Bob's starter version",
    );
    const bobsVersion = bobsVersions.versions[0]!.id;
    expect(
      (
        await server.api(
          `/api/sessions/${host.sessionId}/workspaces/${bob.workspaceId}/history/${bobsVersion}`,
          { bearer: ada.token },
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await server.api(
          `/api/sessions/${host.sessionId}/workspaces/${ada.workspaceId}/history/${bobsVersion}`,
          { bearer: ada.token },
        )
      ).status,
    ).toBe(404);
    // The host reads any workspace; unknown workspaces and versions are 404; no credential is 401.
    expect((await historyOf(server, host.sessionId, bob.workspaceId, host.hostKey)).status).toBe(200);
    expect((await historyOf(server, host.sessionId, "nope", host.hostKey)).status).toBe(404);
    for (const vid of ["abc", "0", "-1", "1e3", "99999999999999999999"]) {
      const res = await server.api(
        `/api/sessions/${host.sessionId}/workspaces/${ada.workspaceId}/history/${vid}`,
        {
          bearer: host.hostKey,
        },
      );
      expect(res.status).toBe(404);
    }
    expect(
      (await server.api(`/api/sessions/${host.sessionId}/workspaces/${ada.workspaceId}/history`)).status,
    ).toBe(401);
    // Attendees restore; the host does not.
    const hostRestore = await server.api(
      `/api/sessions/${host.sessionId}/workspaces/${ada.workspaceId}/history/${atRun.id}/restore`,
      { method: "POST", bearer: host.hostKey },
    );
    expect(hostRestore.status).toBe(403);
    const otherRestore = await server.api(
      `/api/sessions/${host.sessionId}/workspaces/${bob.workspaceId}/history/${bobsVersion}/restore`,
      { method: "POST", bearer: ada.token },
    );
    expect(otherRestore.status).toBe(403);
  });

  it("restores a version as a new edit that the pair partner's client receives; history is kept", async () => {
    const server = await start();
    const host = await createSession(server);
    const ada = await joinSession(server, host.joinCode, "Ada");
    const bob = await joinSession(server, host.joinCode, "Bob");
    const paired = await server.api(`/api/sessions/${host.sessionId}/pairs`, {
      method: "POST",
      bearer: host.hostKey,
      json: { participantIds: [ada.participantId, bob.participantId] },
    });
    expect(paired.status).toBe(201);
    const wid = paired.body.workspaceId as string;
    const doc = `workspace/${host.sessionId}/${wid}`;
    const a = open(server, doc, ada.token);
    const b = open(server, doc, bob.token);
    await Promise.all([synced(a.provider), synced(b.provider)]);

    a.text().insert(a.text().length, "\n// works\n");
    const good = a.text().toString();
    await until(() => b.text().toString() === good, 5000, "Bob to see Ada's edit");
    const run = await server.api(`/api/sessions/${host.sessionId}/runs`, {
      method: "POST",
      bearer: ada.token,
      json: { ...failingReport, checks: [{ name: "converges", passed: true }], nonFinite: undefined },
    });
    expect(run.status).toBe(201);
    const runVersion = (await versionsOf(server, host, wid)).versions.find((v) => v.runId === run.body.id)!;
    expect(runVersion.run).toMatchObject({ passed: 1, failed: 0, firstFailing: null, nonFinite: [] });

    // Ada breaks it, the break is kept as a version, then she restores the version of the run.
    a.text().delete(0, a.text().length);
    a.text().insert(0, "broken(");
    await until(() => b.text().toString() === "broken(", 5000, "Bob to see the break");
    const before = await eventually(
      () => versionsOf(server, host, wid),
      (h) => h.versions.at(-1)?.length === "broken(".length,
      "a version of the break",
    );
    const restored = await server.api(
      `/api/sessions/${host.sessionId}/workspaces/${wid}/history/${runVersion.id}/restore`,
      { method: "POST", bearer: ada.token },
    );
    expect(restored.status).toBe(200);
    expect(restoredSchema.parse(restored.body)).toEqual({
      versionId: runVersion.id,
      file: TASK,
      length: good.length,
    });
    await until(() => b.text().toString() === good, 5000, "Bob to receive the restore");
    await until(() => a.text().toString() === good, 5000, "Ada to receive the restore");

    // Nothing rewritten: the old versions are as they were, and the restore is a new version.
    const after = await eventually(
      () => versionsOf(server, host, wid),
      (h) => h.versions.length > before.versions.length,
      "a version of the restore",
    );
    expect(after.versions.slice(0, before.versions.length)).toEqual(before.versions);
    const last = after.versions.at(-1)!;
    expect((await textOf(server, host.sessionId, wid, last.id, bob.token)).text).toBe(good);

    // Not while the host has locked editing (the host writes the session doc's meta).
    const hostDoc = new Y.Doc();
    const hostProvider = connect(server, `session/${host.sessionId}`, host.hostKey, hostDoc);
    providers.push(hostProvider);
    await synced(hostProvider);
    hostDoc.getMap("meta").set("locked", true);
    const locked = await eventually(
      () =>
        server.api(`/api/sessions/${host.sessionId}/workspaces/${wid}/history/${runVersion.id}/restore`, {
          method: "POST",
          bearer: bob.token,
        }),
      (res) => res.status !== 200,
      "the lock to reach the server",
    );
    expect(locked.status).toBe(409);
  });

  it("puts each workspace's history in the export as JSON lines; share links show histories only with names", async () => {
    const server = await start();
    const host = await createSession(server);
    const ada = await joinSession(server, host.joinCode, "Ada");
    const { provider, text } = open(server, workspaceDoc(ada), ada.token);
    await synced(provider);
    text().insert(0, "// exported\n");
    const run = await server.api(`/api/sessions/${host.sessionId}/runs`, {
      method: "POST",
      bearer: ada.token,
      json: failingReport,
    });
    const versions = await versionsOf(server, host, ada.workspaceId);

    const res = await fetch(`${server.url}/api/sessions/${host.sessionId}/export?format=zip`, {
      headers: { authorization: `Bearer ${host.hostKey}` },
    });
    expect(res.status).toBe(200);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const lines = strFromU8(files["Ada/history.jsonl"]!)
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => historyLineSchema.parse(JSON.parse(l)));
    expect(lines.length).toBeGreaterThanOrEqual(versions.versions.length);
    expect(lines.slice(0, versions.versions.length).map((l) => [l.at, l.runId, l.file])).toEqual(
      versions.versions.map((v) => [v.at, v.runId, v.file]),
    );
    expect(lines.find((l) => l.runId === run.body.id)!.text).toBe(text().toString());

    const link = async (names: boolean) => {
      const made = await server.api(`/api/sessions/${host.sessionId}/summary-link`, {
        method: "POST",
        bearer: host.hostKey,
        json: { names },
      });
      return new URL(made.body.url as string).hash.replace(/^#token=/, "");
    };
    const shared = (token: string, suffix = "") =>
      server.api(`/api/summaries/${host.sessionId}/workspaces/${ada.workspaceId}/history${suffix}`, {
        bearer: token,
      });
    const named = await link(true);
    const sharedList = await shared(named);
    expect(sharedList.status).toBe(200);
    expect(workspaceHistorySchema.parse(sharedList.body).versions.length).toBeGreaterThan(0);
    const first = versions.versions[0]!.id;
    expect(historyTextSchema.parse((await shared(named, `/${first}`)).body).id).toBe(first);
    const anonymous = await link(false);
    expect((await shared(anonymous)).status).toBe(403);
    expect((await shared(anonymous, `/${first}`)).status).toBe(403);
    expect((await shared("nonsense")).status).toBe(401);
  });

  it("keeps history through compaction and a restart over the same SQLite file", async () => {
    const server = await start();
    const dataDir = server.dataDir;
    const host = await createSession(server);
    const ada = await joinSession(server, host.joinCode, "Ada");
    const doc = workspaceDoc(ada);
    const { provider, text } = open(server, doc, ada.token);
    await synced(provider);
    for (let i = 0; i < 30; i++) {
      text().insert(text().length, `line ${i}\n`);
      await new Promise((r) => setTimeout(r, 15));
    }
    const final = text().toString();
    const before = await eventually(
      () => versionsOf(server, host, ada.workspaceId),
      (h) => h.versions.at(-1)?.length === final.length,
      "a version of the last edit",
    );
    expect(before.versions.length).toBeGreaterThan(1);
    await server.rooms.flush();
    await eventually(
      () => server.storage.documents.countUpdates(doc),
      (n) => n <= 5,
      "the log to be compacted",
    );
    const texts = await Promise.all(
      before.versions.map(
        async (v) => (await textOf(server, host.sessionId, ada.workspaceId, v.id, host.hostKey)).text,
      ),
    );
    expect(texts.at(-1)).toBe(final);

    provider.destroy();
    servers.splice(servers.indexOf(server), 1);
    await stopTestServer(server, false);
    const again = await start(dataDir);
    const after = await versionsOf(again, host, ada.workspaceId);
    expect(after.versions.slice(0, before.versions.length)).toEqual(before.versions);
    const textsAfter = await Promise.all(
      before.versions.map(
        async (v) => (await textOf(again, host.sessionId, ada.workspaceId, v.id, host.hostKey)).text,
      ),
    );
    expect(textsAfter).toEqual(texts);
  });

  it("keeps what a kill -9 left: versions stored before it, and a version of the logged edits after it", async () => {
    const dataDir = tempDataDir();
    const children: { process: { kill(signal: NodeJS.Signals): boolean } }[] = [];
    try {
      // No timed versions before the kill: the run's version is the only one.
      const first = await spawnServe(dataDir, { env: { HISTORY_INTERVAL_MS: "3600000" } });
      children.push(first);
      const server = remote(first.url);
      const host = await createSession(server);
      const ada = await joinSession(server, host.joinCode, "Ada");
      const p = connect(server, workspaceDoc(ada), ada.token);
      providers.push(p);
      await synced(p);
      const text = () => p.doc.getMap<Y.Text>("files").get(TASK)!;
      text().insert(0, "// before the run\n");
      const run = await server.api(`/api/sessions/${host.sessionId}/runs`, {
        method: "POST",
        bearer: ada.token,
        json: failingReport,
      });
      expect(run.status).toBe(201);
      const before = await versionsOf(server, host, ada.workspaceId);
      expect(before.versions.map((v) => v.runId)).toEqual([run.body.id]);
      text().insert(0, "// after the run\n");
      const logged = text().toString();
      // Beyond the 250 ms batch window (the edit is in the update log), then no chance to keep a version.
      await new Promise((r) => setTimeout(r, 600));
      first.process.kill("SIGKILL");
      await first.exited;
      p.destroy();

      const second = await spawnServe(dataDir, { env: { HISTORY_INTERVAL_MS: "1000" } });
      children.push(second);
      const server2 = remote(second.url);
      expect((await versionsOf(server2, host, ada.workspaceId)).versions).toEqual(before.versions);
      // Opening the doc loads it; the next tick keeps the edit the log had but history did not.
      const again = connect(server2, workspaceDoc(ada), ada.token);
      providers.push(again);
      await synced(again);
      const after = await eventually(
        () => versionsOf(server2, host, ada.workspaceId),
        (h) => h.versions.length > before.versions.length,
        "a version of the logged edit",
      );
      expect(after.versions.slice(0, 1)).toEqual(before.versions);
      expect(
        (await textOf(server2, host.sessionId, ada.workspaceId, after.versions.at(-1)!.id, host.hostKey))
          .text,
      ).toBe(logged);
    } finally {
      for (const c of children) c.process.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
