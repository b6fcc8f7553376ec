/**
 * Two server processes sharing a PostgreSQL schema and Redis (a channel prefix of their own),
 * with stock y-websocket clients reaching them through TCP proxies the test can re-point, as a
 * load balancer would after an instance dies.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { WebsocketProvider } from "y-websocket";
import WebSocket from "ws";
import * as Y from "yjs";
import { describeWith, REDIS_URL } from "../../test/support/requirements.js";
import type { Config } from "../config.js";
import { PostgresStorage } from "../storage/postgres.js";
import { createTestSchema, type TestSchema } from "../../support/pg-schema.js";
import { synced, tempDataDir, until } from "../../support/server.js";
import { type ChildServer, startChildServer, stopChildServer } from "./test/child-server.js";
import { TcpProxy } from "./test/tcp-proxy.js";

const TASK = "gradient-descent";
const files = (p: WebsocketProvider) => p.doc.getMap<Y.Text>("files");
const content = (p: WebsocketProvider) => files(p).get(TASK)?.toString() ?? "";

async function post<T>(server: ChildServer, path: string, json: unknown): Promise<T> {
  const res = await fetch(server.url + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(json),
  });
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

await describeWith(["postgres", "redis"], "two server processes behind a switchable proxy", () => {
  let schema: TestSchema;
  let a: ChildServer;
  let b: ChildServer;
  let toA: TcpProxy;
  let toB: TcpProxy;
  const providers: WebsocketProvider[] = [];
  const dataDirs: string[] = [];

  const open = (proxy: TcpProxy, doc: string, token: string) => {
    const p = new WebsocketProvider(`ws://127.0.0.1:${proxy.port}/sync`, doc, new Y.Doc(), {
      params: { token },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 300,
    });
    providers.push(p);
    return p;
  };

  beforeAll(async () => {
    schema = await createTestSchema("cluster");
    dataDirs.push(tempDataDir(), tempDataDir());
    const common: Partial<Config> = {
      port: 0,
      host: "127.0.0.1",
      databaseUrl: schema.url,
      redisUrl: REDIS_URL,
      redisChannelPrefix: `test-${randomBytes(6).toString("hex")}:`,
      secret: randomBytes(32).toString("hex"),
      relayCustodyMs: 1500,
      roomGraceMs: 1000,
    };
    // A flushes rarely, so when it is killed it surely holds edits it never stored.
    const started = await Promise.allSettled([
      startChildServer({ ...common, instanceId: "a", dataDir: dataDirs[0], flushIntervalMs: 5000 }),
      startChildServer({ ...common, instanceId: "b", dataDir: dataDirs[1] }),
    ]);
    // Keep whichever started, so afterAll stops it even when the other did not.
    const [first, second] = started;
    if (first?.status === "fulfilled") a = first.value;
    if (second?.status === "fulfilled") b = second.value;
    for (const r of started) if (r.status === "rejected") throw r.reason;
    toA = await TcpProxy.start({ host: "127.0.0.1", port: a.port });
    toB = await TcpProxy.start({ host: "127.0.0.1", port: b.port });
  }, 120_000);

  afterAll(async () => {
    for (const p of providers.splice(0)) p.destroy();
    await Promise.all([a, b].filter(Boolean).map((s) => stopChildServer(s)));
    await Promise.all([toA, toB].filter(Boolean).map((p) => p.close()));
    await schema?.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it("clients of one session on both instances converge, and awareness crosses", async () => {
    const host = await post<{ sessionId: string; hostKey: string; joinCode: string }>(a, "/api/sessions", {
      pack: "demo",
    });
    const ada = await post<{ workspaceId: string; token: string }>(b, "/api/join", {
      joinCode: host.joinCode,
      name: "Ada",
    });
    const doc = `workspace/${host.sessionId}/${ada.workspaceId}`;
    const clients = [open(toB, doc, ada.token), open(toA, doc, host.hostKey), open(toB, doc, host.hostKey)];
    await Promise.all(clients.map((p) => synced(p)));
    for (let i = 0; i < 15; i++) {
      clients.forEach((p, k) => {
        const t = files(p).get(TASK)!;
        t.insert(t.length, `<${k}>`);
      });
      await new Promise((r) => setTimeout(r, 5));
    }
    await until(
      () => clients.every((p) => content(p) === content(clients[0]!)),
      10_000,
      "three clients on two instances converge",
    );
    for (const k of [0, 1, 2]) expect(content(clients[1]!).split(`<${k}>`).length - 1).toBe(15);

    clients[0]!.awareness.setLocalStateField("user", { name: "Ada" });
    await until(
      () =>
        (clients[1]!.awareness.getStates().get(clients[0]!.doc.clientID) as { user?: { name: string } })?.user
          ?.name === "Ada",
      5000,
      "awareness from B's client reaches A's client",
    );
    for (const p of providers.splice(0)) p.destroy();
  });

  it("kill -9 of one instance while clients type: they move to the other and nothing is lost", async () => {
    const host = await post<{ sessionId: string; hostKey: string; joinCode: string }>(a, "/api/sessions", {
      pack: "demo",
    });
    const ada = await post<{ workspaceId: string; token: string }>(a, "/api/join", {
      joinCode: host.joinCode,
      name: "Ada",
    });
    const doc = `workspace/${host.sessionId}/${ada.workspaceId}`;
    const clients = [open(toA, doc, ada.token), open(toA, doc, host.hostKey), open(toB, doc, host.hostKey)];
    await Promise.all(clients.map((p) => synced(p)));

    const typed: string[] = [];
    let n = 0;
    const typing = setInterval(() => {
      clients.forEach((p, k) => {
        const token = `[${k}:${n}]`;
        const t = files(p).get(TASK)!;
        t.insert(t.length, token);
        typed.push(token);
      });
      n++;
    }, 20);
    try {
      await new Promise((r) => setTimeout(r, 800));
      a.process.kill("SIGKILL");
      expect(await a.exited).toBe("SIGKILL");
      // The load balancer's view: A is gone, its traffic goes to B.
      toA.switchTo({ host: "127.0.0.1", port: b.port });
      await new Promise((r) => setTimeout(r, 800));
    } finally {
      clearInterval(typing);
    }
    await until(
      () => clients.every((p) => p.wsconnected && content(p) === content(clients[2]!)),
      15_000,
      "clients reconnect to B and converge",
    );
    const final = content(clients[2]!);
    for (const token of typed) expect(final).toContain(token);

    // What B learned only through the relay from A (typed inside A's unflushed window) was stored
    // by B once A never reported it stored.
    const takeovers = async () => {
      const metrics = await (await fetch(`${b.url}/metrics`)).text();
      return Number(/^scratchroom_relay_takeovers_total (\d+)/m.exec(metrics)?.[1] ?? 0);
    };
    const deadline = Date.now() + 10_000;
    while ((await takeovers()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await takeovers()).toBeGreaterThan(0);

    for (const p of providers.splice(0)) p.destroy();
    await stopChildServer(b);
    const storage = await PostgresStorage.connect(schema.url, 1);
    try {
      const restored = new Y.Doc();
      for (const u of (await storage.documents.loadDoc(doc)).updates) Y.applyUpdate(restored, u);
      const stored = restored.getMap<Y.Text>("files").get(TASK)!.toString();
      for (const token of typed) expect(stored).toContain(token);
    } finally {
      await storage.close();
    }
  }, 60_000);
});
