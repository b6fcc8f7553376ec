/**
 * The Redis relay with real PostgreSQL and Redis: instances in this process on their own ports,
 * sharing a throwaway schema and a channel prefix of their own, talking to Redis through a TCP
 * proxy the tests can cut (the machine's Redis itself is never stopped).
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import type { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { describeWith, REDIS_URL } from "../../test/support/requirements.js";
import type { Config } from "../config.js";
import { createTestSchema, type TestSchema } from "../../support/pg-schema.js";
import {
  connect,
  createSession,
  joinSession,
  startTestServer,
  stopTestServer,
  synced,
  type Attendee,
  type HostedSession,
  type TestServer,
  until,
  upgradeStatus,
} from "../../support/server.js";
import { TcpProxy } from "./test/tcp-proxy.js";

const text = (p: WebsocketProvider) => p.doc.getMap<Y.Text>("files").get("gradient-descent")!;
const typeInto = (p: WebsocketProvider, s: string) => {
  const t = text(p);
  for (const ch of s) t.insert(t.length, ch);
};

await describeWith(["postgres", "redis"], "Redis relay between instances", () => {
  let schema: TestSchema;
  let redis: TcpProxy;
  let common: Partial<Config>;
  let a: TestServer;
  let b: TestServer;
  const providers: WebsocketProvider[] = [];
  const open = (server: TestServer, doc: string, token: string) => {
    const p = connect(server, doc, token);
    providers.push(p);
    return p;
  };
  /** Ada's workspace, open as Ada on instance A and as the host on instance B, both synced. */
  const workspaceOnBoth = async (host: HostedSession, ada: Attendee) => {
    const doc = `workspace/${host.sessionId}/${ada.workspaceId}`;
    const onA = open(a, doc, ada.token);
    const onB = open(b, doc, host.hostKey);
    await Promise.all([synced(onA), synced(onB)]);
    return { doc, onA, onB };
  };

  beforeAll(async () => {
    schema = await createTestSchema("relay");
    redis = await TcpProxy.start({ host: "127.0.0.1", port: 6379 });
    common = {
      databaseUrl: schema.url,
      redisUrl: `redis://127.0.0.1:${redis.port}`,
      redisChannelPrefix: `test-${randomBytes(6).toString("hex")}:`,
      secret: randomBytes(32).toString("hex"),
      relayCustodyMs: 1500,
    };
    a = await startTestServer({ ...common, instanceId: "a" });
    b = await startTestServer({ ...common, instanceId: "b" });
  });

  afterEach(() => {
    for (const p of providers.splice(0)) p.destroy();
  });

  afterAll(async () => {
    await Promise.all([a, b].map((s) => s && stopTestServer(s)));
    await redis?.close();
    await schema?.drop();
  });

  it("server-side writes, client edits and awareness cross instances", async () => {
    expect([a.storage.kind, b.storage.kind]).toEqual(["postgres", "postgres"]);
    expect(a.relay?.bothReady() && b.relay?.bothReady()).toBe(true);
    const host = await createSession(a);
    // The host watches the session doc on B; the attendee joins through A (A seeds the roster).
    const hostSession = open(b, `session/${host.sessionId}`, host.hostKey);
    await synced(hostSession);
    const ada = await joinSession(a, host.joinCode, "Ada");
    const roster = hostSession.doc.getMap("roster");
    await until(() => roster.has(ada.participantId), 5000, "roster entry relayed to B");

    const { onA, onB } = await workspaceOnBoth(host, ada);
    typeInto(onA, "\n// from a");
    typeInto(onB, "\n// from b");
    await until(
      () => text(onA).toString() === text(onB).toString() && text(onA).toString().includes("// from b"),
      5000,
      "edits converge across instances",
    );
    expect(text(onB).toString()).toContain("// from a");

    onA.awareness.setLocalStateField("user", { name: "Ada" });
    const stateOnB = () => onB.awareness.getStates().get(onA.doc.clientID) as { user?: { name: string } };
    await until(() => stateOnB()?.user?.name === "Ada", 5000, "awareness relayed to B");
    onA.destroy();
    await until(() => !onB.awareness.getStates().has(onA.doc.clientID), 5000, "awareness removal relayed");
  });

  it("stores each update once, on the instance that received it", async () => {
    const host = await createSession(a);
    const ada = await joinSession(a, host.joinCode, "Ada");
    const { doc, onA, onB } = await workspaceOnBoth(host, ada);
    const seeded = await a.storage.documents.countUpdates(doc);
    const n = 20;
    for (let i = 0; i < n; i++) {
      typeInto(onA, "a");
      typeInto(onB, "b");
      await new Promise((r) => setTimeout(r, 5));
    }
    await until(() => text(onA).toString() === text(onB).toString(), 5000, "convergence");
    const takeoversBefore = (await b.metrics.relayTakeovers.get()).values[0]?.value ?? 0;
    // Past the custody window: had an instance failed to report its appends, the other would
    // have stored copies by now.
    await new Promise((r) => setTimeout(r, 2000));
    await Promise.all([a.rooms.flush(), b.rooms.flush()]);
    expect(await a.storage.documents.countUpdates(doc)).toBe(seeded + 2 * n);
    expect((await b.metrics.relayTakeovers.get()).values[0]?.value ?? 0).toBe(takeoversBefore);
  });

  it("publishes nothing for a doc no other instance holds, until one loads it", async () => {
    const host = await createSession(a);
    const ada = await joinSession(a, host.joinCode, "Ada");
    const doc = `workspace/${host.sessionId}/${ada.workspaceId}`;
    const onA = open(a, doc, ada.token);
    await synced(onA);
    const published = async () =>
      (await a.metrics.relayPublished.get()).values.reduce((sum, v) => sum + v.value, 0);
    typeInto(onA, "x"); // the first publish finds nobody listening
    await new Promise((r) => setTimeout(r, 300));
    const before = await published();
    typeInto(onA, "\n// alone on a");
    onA.awareness.setLocalStateField("user", { name: "Ada" });
    await new Promise((r) => setTimeout(r, 600)); // past a flush: no "stored" report either
    expect(await published()).toBe(before);

    const onB = open(b, doc, host.hostKey);
    await synced(onB);
    expect(text(onB).toString()).toContain("alone on a");
    typeInto(onA, "\n// now shared");
    await until(() => text(onB).toString().includes("now shared"), 5000, "relaying resumes");
    expect(await published()).toBeGreaterThan(before);
  });

  it("ignores garbage on the relay channels", async () => {
    const host = await createSession(a);
    const ada = await joinSession(a, host.joinCode, "Ada");
    const { doc, onA, onB } = await workspaceOnBoth(host, ada);
    const intruder = new Redis(REDIS_URL);
    try {
      const prefix = common.redisChannelPrefix!;
      for (const junk of [Buffer.from([0xff, 0xff, 0xff]), Buffer.from("not a message"), Buffer.alloc(0)]) {
        await intruder.publish(`${prefix}doc:${doc}`, junk);
        await intruder.publish(`${prefix}events`, junk);
      }
      // A well-formed frame whose update is not a Yjs update.
      await intruder.publish(
        `${prefix}doc:${doc}`,
        Buffer.from([1, 0x78, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]),
      );
    } finally {
      intruder.disconnect();
    }
    typeInto(onA, "\n// still relaying");
    await until(() => text(onB).toString().includes("still relaying"), 5000, "relay survives garbage");
  });

  it("delivers session events to the host dashboard on the other instance", async () => {
    const host = await createSession(a);
    const controller = new AbortController();
    const res = await fetch(`${b.url}/api/sessions/${host.sessionId}/events?token=${host.hostKey}`, {
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let received = "";
    const readUntil = async (needle: string) => {
      while (!received.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        received += new TextDecoder().decode(value);
      }
    };
    await readUntil("event: ready");
    const ada = await joinSession(a, host.joinCode, "Ada");
    await readUntil("event: participant");
    expect(received).toContain(ada.participantId);
    controller.abort();
  });

  it("closes a member's connections on the other instance when pairing moves it", async () => {
    const host = await createSession(a);
    const ada = await joinSession(a, host.joinCode, "Ada");
    const bob = await joinSession(a, host.joinCode, "Bob");
    const pairDoc = `workspace/${host.sessionId}/${ada.workspaceId}`;
    // Bob's editor is open on instance B; the host pairs and unpairs on instance A.
    const bobsOwn = open(b, `workspace/${host.sessionId}/${bob.workspaceId}`, bob.token);
    await synced(bobsOwn);
    const closes: number[] = [];
    bobsOwn.on("closed", (e) => closes.push(e.code));
    const paired = await a.api(`/api/sessions/${host.sessionId}/pairs`, {
      method: "POST",
      json: { participantIds: [ada.participantId, bob.participantId] },
      bearer: host.hostKey,
    });
    expect(paired.status).toBe(201);
    await until(() => closes.length > 0, 5000, "Bob's old workspace closed on B");
    expect(closes).toEqual([4409]);
    // B had checked Bob's token for his old workspace (its records were known there); the relayed
    // pairs event made B forget them, so the same token is now refused there.
    const onB = (wid: string) =>
      `${b.wsUrl}/workspace/${host.sessionId}/${wid}?token=${encodeURIComponent(bob.token)}`;
    expect(await upgradeStatus(onB(bob.workspaceId))).toBe(403);

    const bobsPair = open(b, pairDoc, bob.token);
    await synced(bobsPair);
    const pairCloses: number[] = [];
    bobsPair.on("closed", (e) => pairCloses.push(e.code));
    await a.api(`/api/sessions/${host.sessionId}/pairs/${ada.workspaceId}`, {
      method: "DELETE",
      bearer: host.hostKey,
    });
    await until(() => pairCloses.length > 0, 5000, "Bob's pair doc closed on B");
    expect(pairCloses).toEqual([4409]);
  });

  it("syncs a doc loaded on a second instance with the first before serving it", async () => {
    // C never flushes on its own, so what C's client typed exists only in C's memory.
    const c = await startTestServer({ ...common, instanceId: "c", flushIntervalMs: 60_000 });
    try {
      const host = await createSession(c);
      const ada = await joinSession(c, host.joinCode, "Ada");
      const doc = `workspace/${host.sessionId}/${ada.workspaceId}`;
      const onC = open(c, doc, ada.token);
      await synced(onC);
      typeInto(onC, "\n// only in memory on c");
      await new Promise((r) => setTimeout(r, 100));
      const stored = await a.storage.documents.countUpdates(doc);
      const onB = open(b, doc, host.hostKey);
      await synced(onB);
      // No waiting after the first sync: B had it before it answered its client.
      expect(text(onB).toString()).toBe(text(onC).toString());
      expect(text(onB).toString()).toContain("only in memory on c");

      // C never reports it stored: once the custody window passes, B stores it itself.
      await new Promise((r) => setTimeout(r, 2500));
      await b.rooms.flush();
      expect(await b.storage.documents.countUpdates(doc)).toBeGreaterThan(stored);
      const restored = new Y.Doc();
      for (const u of (await b.storage.documents.loadDoc(doc)).updates) Y.applyUpdate(restored, u);
      expect(restored.getMap<Y.Text>("files").get("gradient-descent")!.toString()).toContain(
        "only in memory on c",
      );
    } finally {
      for (const p of providers.splice(0)) p.destroy();
      await stopTestServer(c);
    }
  });

  it("keeps serving local clients through a Redis outage and resyncs when it returns", async () => {
    const host = await createSession(a);
    const ada = await joinSession(a, host.joinCode, "Ada");
    const doc = `workspace/${host.sessionId}/${ada.workspaceId}`;
    const a1 = open(a, doc, ada.token);
    const a2 = open(a, doc, host.hostKey);
    const b1 = open(b, doc, host.hostKey);
    await Promise.all([a1, a2, b1].map((p) => synced(p)));

    redis.cut();
    await until(() => !a.relay!.bothReady() && !b.relay!.bothReady(), 5000, "relay notices the outage");
    typeInto(a1, "\n// a during outage");
    typeInto(b1, "\n// b during outage");
    await until(() => text(a2).toString().includes("a during outage"), 5000, "A still serves its clients");
    await new Promise((r) => setTimeout(r, 300));
    expect(text(b1).toString()).not.toContain("a during outage");

    redis.restore();
    await until(
      () =>
        [a1, a2].every((p) => text(p).toString() === text(b1).toString()) &&
        text(b1).toString().includes("a during outage") &&
        text(a1).toString().includes("b during outage"),
      10_000,
      "resync after Redis returns",
    );
    // Relaying works again afterwards.
    typeInto(b1, "\n// b after");
    await until(() => text(a1).toString().includes("b after"), 5000, "relay after the outage");
  });
});
