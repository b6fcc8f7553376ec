/**
 * The baselines of `npm run bench:sync` start and serve: each is spawned the way the benchmark
 * spawns it (bench/sync-harness.ts), and the benchmark's own client syncs a doc through it. The
 * equal-work baselines refuse a client without a token or with a forged one, accept one with a
 * token of the session, and keep a doc across the moment its last client leaves (persistence).
 */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { BenchClient, type ServerInfo } from "../../bench/sync-client.js";
import {
  retainedHeap,
  type Server,
  spawnServer,
  stats,
  stopServer,
  type Which,
} from "../../bench/sync-harness.js";
import { until } from "../../bench/stats.js";

const started: Server[] = [];
afterAll(async () => {
  await Promise.all(started.map((s) => stopServer(s.child)));
});

async function start(which: Which): Promise<ServerInfo> {
  const server = await spawnServer(which);
  started.push(server);
  return server.info;
}

/** A client holding a Y.Doc; resolves once it synced or failed (then `failure` says why). */
async function connect(info: ServerInfo): Promise<BenchClient> {
  const client = new BenchClient(info, undefined, new Y.Doc());
  await until(() => client.syncedAt !== null || client.failure !== null, 10_000);
  return client;
}

/** Writes through one client and reads the text back through another. */
async function roundTrip(info: ServerInfo, text: string): Promise<string> {
  const writer = await connect(info);
  const reader = await connect(info);
  expect(writer.failure).toBeNull();
  expect(reader.failure).toBeNull();
  writer.doc!.getText("bench").insert(0, text);
  await until(() => reader.doc!.getText("bench").toString() === text, 5000);
  writer.close();
  reader.close();
  return reader.doc!.getText("bench").toString();
}

describe.each<Which>(["baseline", "hocuspocus"])("bare baseline %s", (which) => {
  it("syncs a doc between two clients without a token", async () => {
    const info = await start(which);
    expect(await roundTrip({ ...info, token: "none" }, "bare")).toBe("bare");
  });
});

describe("the floor (a relay with no doc)", () => {
  it("relays each client's updates to the others of its doc, and keeps nothing", async () => {
    const info = await start("floor");
    expect(await roundTrip(info, "relayed")).toBe("relayed");
    // Two writers at once converge through it; a client of another doc hears none of it.
    const [a, b] = [await connect(info), await connect(info)];
    const elsewhere = await connect({ ...info, docName: "workspace/bench/other" });
    let strayFrames = 0;
    elsewhere.ws.on("message", () => strayFrames++);
    a.doc!.getText("bench").insert(0, "a");
    b.doc!.getText("bench").insert(0, "b");
    const converged = () => a.doc!.getText("bench").toString() === b.doc!.getText("bench").toString();
    expect(await until(() => converged() && a.doc!.getText("bench").length === 2, 5000)).toBe(true);
    // No doc: a late joiner syncs to an empty one (why it serves only the hot room).
    const late = await connect(info);
    expect(late.failure).toBeNull();
    expect(late.doc!.getText("bench").toString()).toBe("");
    expect(strayFrames).toBe(0);
    for (const c of [a, b, elsewhere, late]) c.close();
  });
});

describe.each<Which>(["yws-equal", "hocuspocus-equal"])("equal-work baseline %s", (which) => {
  it("refuses a client without a valid token and serves one with a token of the session", async () => {
    const info = await start(which);
    expect(info.token).not.toBe("none");

    const anonymous = await connect({ ...info, token: "" });
    expect(anonymous.syncedAt).toBeNull();
    expect(anonymous.failure).toMatch(/401|permission denied/);
    anonymous.close();

    // A token signed with another secret (the payload kept, the mac changed) is refused too.
    const [payload, mac] = info.token.split(".") as [string, string];
    const forged = `${payload}.${mac.startsWith("A") ? "B" : "A"}${mac.slice(1)}`;
    const impostor = await connect({ ...info, token: forged });
    expect(impostor.syncedAt).toBeNull();
    expect(impostor.failure).toMatch(/401|permission denied/);
    impostor.close();

    expect(await roundTrip(info, "persisted")).toBe("persisted");
    // Everyone left: the server dropped the doc from memory (y-websocket at once, Hocuspocus
    // after storing it); a newcomer gets it back from the server's store.
    const late = new BenchClient(info, undefined, new Y.Doc());
    const restored = await until(
      () => late.doc!.getText("bench").toString() === "persisted",
      which === "hocuspocus-equal" ? 15_000 : 5000,
    );
    late.close();
    expect(restored).toBe(true);
  });
});

/** A server spawned while `name` is set to `value` in this process's environment, and its /proc files. */
async function spawnedWith(
  name: string,
  value: string,
  which: Which,
): Promise<{ server: Server; proc: (file: string) => string[] }> {
  process.env[name] = value;
  try {
    const server = await spawnServer(which);
    started.push(server);
    return { server, proc: (file) => readFileSync(`/proc/${server.child.pid}/${file}`, "utf8").split("\0") };
  } finally {
    delete process.env[name];
  }
}

describe("BENCH_SERVERS_WITHOUT_TSX=1", () => {
  it.each<Which>(["ours", "yws-equal"])("starts %s on plain node, and it serves", async (which) => {
    const { server, proc } = await spawnedWith("BENCH_SERVERS_WITHOUT_TSX", "1", which);
    expect(proc("cmdline").some((arg) => arg.includes("tsx"))).toBe(false);
    expect(await roundTrip(server.info, "plain")).toBe("plain");
  });
});

describe("the generator's NODE_OPTIONS", () => {
  it("are not handed to a server it starts", async () => {
    const { server, proc } = await spawnedWith("NODE_OPTIONS", "--max-semi-space-size=64", "yws-equal");
    expect(proc("environ").some((entry) => entry.startsWith("NODE_OPTIONS="))).toBe(false);
    expect(await roundTrip(server.info, "flags")).toBe("flags");
  });
});

describe("retained heap (the idle tables' heap columns)", () => {
  it.each<Which>(["ours", "yws-equal"])(
    "%s answers with its heap after a full collection, below its heap as found",
    async (which) => {
      const server = await spawnServer(which);
      started.push(server);
      // Garbage the next collection frees: the retained figure must not count it.
      expect(await roundTrip(server.info, "x".repeat(100_000))).toHaveLength(100_000);
      const asFound = await stats(server.child);
      const retained = await retainedHeap(server.child);
      expect(retained).toBeGreaterThan(1e6);
      expect(retained).toBeLessThan(asFound.heapUsed);
    },
  );
});
