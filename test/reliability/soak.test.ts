/**
 * Bounded soak: waves of clients connect to several rooms, type, move their cursors and leave.
 * After every wave, once the eviction grace has passed, no doc stays loaded, no connection stays
 * open (on /metrics and in this process's open sockets), every unloaded doc is garbage collected,
 * and after a forced GC the heap is back near its level after the first waves: no doc, connection
 * or listener leak.
 *
 * SOAK_SECONDS (default 60) bounds the run.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import type { WebsocketProvider } from "y-websocket";
import type * as Y from "yjs";
import {
  connect,
  createSession,
  joinSession,
  startTestServer,
  stopTestServer,
  synced,
  type TestServer,
  until,
} from "../../support/server.js";

const seconds = Number(process.env.SOAK_SECONDS ?? 60);
const rooms = 6;
const clientsPerRoom = 4;
const graceMs = 100;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Heap in use after full collections (twice: finalizers free more on the second pass). */
async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage().heapUsed;
}

function openSockets(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "TCPSocketWrap").length;
}

async function gauge(server: TestServer, name: string): Promise<number> {
  const body = await (await fetch(`${server.url}/metrics`)).text();
  const line = body.split("\n").find((l) => l.startsWith(name + " "));
  if (!line) throw new Error(`${name} missing from /metrics`);
  return Number(line.split(" ")[1]);
}

const text = (p: WebsocketProvider) => p.doc.getMap<Y.Text>("files").get("gradient-descent")!;

describe("soak", () => {
  let server: TestServer;
  afterAll(async () => {
    if (server) await stopTestServer(server);
  });

  it(
    `waves of clients for ${seconds} s leave no doc, connection or heap behind`,
    async () => {
      server = await startTestServer({ roomGraceMs: graceMs });
      const host = await createSession(server);
      const attendees = await Promise.all(
        Array.from({ length: rooms }, (_, i) => joinSession(server, host.joinCode, `A${i}`)),
      );
      const socketsIdle = openSockets();
      // Every doc the registry unloads must become garbage: nothing else may hold on to it.
      const unloaded: WeakRef<object>[] = [];
      server.rooms.observe({ unloaded: (room) => void unloaded.push(new WeakRef(room.doc)) });

      const wave = async (n: number) => {
        const providers = attendees.flatMap((a) =>
          Array.from({ length: clientsPerRoom }, () =>
            connect(server, `workspace/${a.sessionId}/${a.workspaceId}`, a.token),
          ),
        );
        // The host watches the session doc, as in a seminar.
        providers.push(connect(server, `session/${host.sessionId}`, host.hostKey));
        await Promise.all(providers.map((p) => synced(p, 10_000)));
        expect(await gauge(server, "scratchroom_docs_loaded")).toBe(rooms + 1);
        const typists = providers.slice(0, -1);
        for (let k = 0; k < 10; k++) {
          for (const [i, p] of typists.entries()) {
            text(p).insert(0, `w${n}c${i}k${k};`);
            p.awareness.setLocalStateField("cursor", { anchor: k, head: k + i });
          }
          await new Promise((r) => setTimeout(r, 30));
        }
        // Each room's tabs converge before leaving.
        await until(
          () =>
            attendees.every((_, r) => {
              const tabs = typists.slice(r * clientsPerRoom, (r + 1) * clientsPerRoom);
              return tabs.every((p) => text(p).toString() === text(tabs[0]!).toString());
            }),
          10_000,
          "tabs to converge",
        );
        for (const p of providers) {
          p.destroy();
          // provider.destroy() leaves the Awareness it made running (its interval keeps the doc alive).
          p.doc.destroy();
        }
        await until(() => server.rooms.loadedNames().length === 0, 10_000, "every doc to be evicted");
        expect(await gauge(server, "scratchroom_docs_loaded")).toBe(0);
        expect(await gauge(server, "scratchroom_connections")).toBe(0);
        await until(() => openSockets() <= socketsIdle, 5000, "sockets to close");
      };

      await wave(0);
      await wave(1);
      const baseline = await settledHeap();
      const deadline = Date.now() + seconds * 1000;
      const heaps: number[] = [];
      let waves = 2;
      while (Date.now() < deadline) {
        await wave(waves++);
        heaps.push(await settledHeap());
      }
      const final = heaps.at(-1) ?? baseline;
      const mb = (b: number) => (b / 2 ** 20).toFixed(1);
      console.log(
        `soak: ${waves} waves of ${rooms * clientsPerRoom + 1} clients; heap baseline ${mb(baseline)} MB, ` +
          `after ${mb(final)} MB, per wave ${heaps.map(mb).join(" ")}`,
      );
      expect(waves).toBeGreaterThanOrEqual(4);
      expect(unloaded.length).toBeGreaterThanOrEqual(waves * (rooms + 1));
      expect(unloaded.filter((ref) => ref.deref() !== undefined).length).toBe(0);
      // Each wave grows the stored docs a little (they are evicted, not kept), so allow slack
      // that a leak of a wave's docs and 25 connections per wave would blow through.
      expect(final - baseline).toBeLessThan(Math.max(4 * 2 ** 20, baseline * 0.1));
    },
    (seconds + 120) * 1000,
  );
});
