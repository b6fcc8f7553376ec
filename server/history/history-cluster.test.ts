/**
 * History on either instance: two servers sharing a PostgreSQL schema and Redis keep one history,
 * readable through both; a restore made through one reaches a client of the other; history stays
 * readable when the instance that recorded it is gone.
 */
import { randomBytes } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { type WorkspaceHistory, workspaceHistorySchema } from "../../contract/history.js";
import { createTestSchema, type TestSchema } from "../../support/pg-schema.js";
import { describeWith, REDIS_URL } from "../../test/support/requirements.js";
import {
  type Attendee,
  connect,
  createSession,
  type HostedSession,
  joinSession,
  startTestServer,
  stopTestServer,
  synced,
  type TestServer,
  until,
} from "../../support/server.js";

const TASK = "gradient-descent";

await describeWith(["postgres", "redis"], "workspace history on two instances", () => {
  let schema: TestSchema;
  let a: TestServer;
  let b: TestServer;
  let host: HostedSession;
  let ada: Attendee;
  const providers: WebsocketProvider[] = [];

  beforeAll(async () => {
    schema = await createTestSchema("history");
    const common = {
      databaseUrl: schema.url,
      redisUrl: REDIS_URL,
      redisChannelPrefix: `test-${randomBytes(6).toString("hex")}:`,
      secret: randomBytes(32).toString("hex"),
      historyIntervalMs: 100,
    };
    a = await startTestServer({ ...common, instanceId: "a" });
    b = await startTestServer({ ...common, instanceId: "b" });
    host = await createSession(a);
    ada = await joinSession(a, host.joinCode, "Ada");
  }, 60_000);

  afterAll(async () => {
    for (const p of providers) p.destroy();
    await Promise.allSettled([a && stopTestServer(a), b && stopTestServer(b)]);
    await schema?.drop();
  });

  const history = async (server: TestServer) => {
    const res = await server.api(`/api/sessions/${host.sessionId}/workspaces/${ada.workspaceId}/history`, {
      bearer: host.hostKey,
    });
    expect(res.status).toBe(200);
    return workspaceHistorySchema.parse(res.body);
  };

  it("keeps one history both instances read, restores across them, and outlives the recording instance", async () => {
    const doc = `workspace/${host.sessionId}/${ada.workspaceId}`;
    const onA = new Y.Doc();
    const onB = new Y.Doc();
    const pa = connect(a, doc, ada.token, onA);
    const pb = connect(b, doc, ada.token, onB);
    providers.push(pa, pb);
    await Promise.all([synced(pa), synced(pb)]);
    const text = (d: Y.Doc) => d.getMap<Y.Text>("files").get(TASK)!;
    text(onA).insert(0, "// typed on A\n");
    const good = text(onA).toString();
    await until(() => text(onB).toString() === good, 5000, "B's client to see A's edit");

    const run = await a.api(`/api/sessions/${host.sessionId}/runs`, {
      method: "POST",
      bearer: ada.token,
      json: { taskId: TASK, status: "ok", checks: [{ name: "c", passed: true }], metrics: {}, durationMs: 1 },
    });
    expect(run.status).toBe(201);
    // One history, read through either instance. Both hold the doc and tick every 100 ms, so a
    // version can be kept between two reads: compare reads made back to back until they agree.
    let readFromB: WorkspaceHistory | null = null;
    await expect
      .poll(
        async () => {
          const fromA = await history(a);
          readFromB = await history(b);
          return isDeepStrictEqual(fromA, readFromB);
        },
        { timeout: 5000 },
      )
      .toBe(true);
    const fromB = readFromB!;
    const atRun = fromB.versions.find((v) => v.runId === run.body.id)!;
    expect(atRun.length).toBe(good.length);

    // Both instances hold the doc and tick: the same text is kept once, not once per instance.
    text(onB).insert(text(onB).length, "// typed on B\n");
    const edited = text(onB).toString();
    await until(() => text(onA).toString() === edited, 5000, "A's client to see B's edit");
    await new Promise((r) => setTimeout(r, 500));
    const versions = (await history(a)).versions.filter((v) => v.length === edited.length);
    expect(versions.length).toBe(1);

    // A restore through B reaches the client connected to A.
    const restored = await b.api(
      `/api/sessions/${host.sessionId}/workspaces/${ada.workspaceId}/history/${atRun.id}/restore`,
      { method: "POST", bearer: ada.token },
    );
    expect(restored.status).toBe(200);
    await until(() => text(onA).toString() === good, 5000, "A's client to receive the restore");

    pa.destroy();
    await stopTestServer(a);
    const afterLoss = await history(b);
    expect(afterLoss.versions.slice(0, fromB.versions.length)).toEqual(fromB.versions);
  });
});
