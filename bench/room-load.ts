/**
 * The load shape of the sync benchmarks, shared: N clients in one workspace doc, W of them stock
 * y-websocket providers typing at a steady rate, the rest bare WebSocket readers (so one bench
 * process keeps up with hundreds). Every keystroke carries a marker "#writer:seq#"; a reader finds
 * it in the raw update frame and records the latency from the keystroke.
 *
 * Clients are spread round-robin over `urls`, so the same load can hit one instance or several.
 */
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { percentile, sleep } from "./stats.js";

export interface RoomLoadOptions {
  /** y-websocket base URLs (…/sync), one per instance. */
  urls: string[];
  docName: string;
  token: string;
  clients: number;
  writers: number;
  /** Keystrokes per second per writer. */
  rate: number;
  seconds: number;
  /** Called right before typing starts and right after the last update had time to arrive. */
  onWindowStart?: () => Promise<void>;
  onWindowEnd?: () => Promise<void>;
}

export interface RoomLoadResult {
  /** Marker deliveries seen by readers, and how many there should have been. */
  samples: number;
  expected: number;
  p50: number;
  p99: number;
  /** Deliveries per second over the typing window. */
  deliveredPerSecond: number;
}

export async function runRoomLoad(o: RoomLoadOptions): Promise<RoomLoadResult> {
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  const query = `?token=${encodeURIComponent(o.token)}`;

  const readers: WebSocket[] = [];
  for (let i = 0; i < o.clients - o.writers; i++) {
    const ws = new WebSocket(`${o.urls[i % o.urls.length]}/${o.docName}${query}`);
    ws.binaryType = "nodebuffer";
    ws.on("message", (data: Buffer) => {
      const now = performance.now();
      if (data[0] !== 0) return; // sync messages only
      for (const m of data.toString("latin1").matchAll(/#(\d+:\d+)#/g)) {
        const t = sent.get(m[1]!);
        if (t !== undefined) latencies.push(now - t);
      }
    });
    readers.push(ws);
    if (i % 25 === 24) await sleep(20);
  }
  await Promise.all(
    readers.map((ws) => new Promise((r) => (ws.readyState === ws.OPEN ? r(null) : ws.once("open", r)))),
  );
  const providers = Array.from(
    { length: o.writers },
    (_, w) =>
      new WebsocketProvider(o.urls[w % o.urls.length]!, o.docName, new Y.Doc(), {
        params: { token: o.token },
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        disableBc: true,
      }),
  );
  await Promise.all(providers.map((p) => new Promise((r) => (p.synced ? r(null) : p.once("sync", r)))));
  await sleep(300);

  await o.onWindowStart?.();
  const t0 = performance.now();
  let seq = 0;
  const timers = providers.map((p, w) => {
    const text = p.doc.getText("bench");
    return setInterval(() => {
      const id = `${w}:${seq++}`;
      sent.set(id, performance.now());
      text.insert(Math.floor(Math.random() * (text.length + 1)), `#${id}#`);
    }, 1000 / o.rate);
  });
  await sleep(o.seconds * 1000);
  for (const t of timers) clearInterval(t);
  await sleep(1000); // let the last updates arrive
  await o.onWindowEnd?.();
  const wall = (performance.now() - t0) / 1000;

  for (const p of providers) p.destroy();
  for (const ws of readers) ws.terminate();
  latencies.sort((a, b) => a - b);
  return {
    samples: latencies.length,
    expected: sent.size * (o.clients - o.writers),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    deliveredPerSecond: latencies.length / wall,
  };
}
