/**
 * The hot-room scenario of bench/sync.ts (1 room, N clients of which W type), and the search for
 * the largest such load a server carries with writer-to-reader p99 ≤ 50 ms.
 */
import { appendFileSync } from "node:fs";
import * as Y from "yjs";
import { BenchClient, type Transport } from "./sync-client.js";
import {
  markerReader,
  retainedHeap,
  type Row,
  type Server,
  type Which,
  Window,
  withServer,
} from "./sync-harness.js";
import { SeenMarkers, SentMarkers } from "./markers.js";
import { percentile, sleep, until } from "./stats.js";
import { startTyping } from "./typing-schedule.js";

export interface HotRoomLoad {
  clients: number;
  writers: number;
  /** Keystrokes per second per writer. */
  rate: number;
  seconds: number;
  /**
   * Seconds the writers type before the measured window opens, their latencies dropped (0: the
   * window opens with the room's first keystroke). The first few hundred ms of typing in a freshly
   * started server are V8 compiling its update path, which a long-running server did long ago;
   * measured, every server's worst keystrokes often fall there (docs/benchmarks.md, branch hot).
   * The generator runs the same code in the warm-up as in the window (every marker timed).
   */
  warmup: number;
  /**
   * Writers off a shared clock (bench/typing-schedule.ts); false, the default: in step, where a
   * server's own periodic work (ours: the update log's flush every 250 ms, and the compaction after
   * it) falls between the keystrokes every time (docs/benchmarks.md, "The 50-client room against
   * the floor").
   */
  jitter?: boolean;
  /**
   * The readers' socket (bench/sync-client.ts, `Transport`): "ws" (the default) or "lean", which
   * reads frames off the socket's chunks, to check that the generator, holding all 45 readers on
   * one core, is not what a tick's latency measures (it was not: bench/lean-websocket.ts).
   */
  readers?: Transport;
}

export async function hotRoom({ child, info }: Server, load: HotRoomLoad): Promise<Row> {
  const { clients, writers, rate, seconds, warmup, jitter = false, readers: transport = "ws" } = load;
  const sent = new SentMarkers();
  const latencies: number[] = [];
  const seen: SeenMarkers[] = [];
  const readers: BenchClient[] = [];
  /**
   * BENCH_HOT_DUMP=<file>: every delivery of the window as [marker, reader, arrival ms], appended
   * to that file as one JSON line per run with the send times and the generator's `timeOrigin`
   * (to line them up with a server's own timestamps): which keystrokes set the p99, and whether
   * their fan-out was slow to leave the server or slow to be drained by this process.
   */
  const dumpTo = process.env.BENCH_HOT_DUMP;
  const deliveries: [string, number, number][] = [];
  for (let i = 0; i < clients - writers; i++) {
    const mine = new SeenMarkers();
    seen.push(mine);
    const onDelivery = dumpTo ? (id: string, at: number) => deliveries.push([id, i, at]) : undefined;
    readers.push(markerReader(info, sent, latencies, mine, onDelivery, transport));
    if (i % 25 === 24) await sleep(20);
  }
  const writerClients = Array.from({ length: writers }, () => new BenchClient(info, undefined, new Y.Doc()));
  const all = [...readers, ...writerClients];
  if (!(await until(() => all.every((c) => c.syncedAt !== null), 30_000)))
    throw new Error("clients did not sync");
  await sleep(300);
  // BENCH_SETTLE=1: a full collection in the server once the clients are in, before the warm-up:
  // a fresh server's first mark-compact (ours' comes ~4 s after it starts, in the window) out of the
  // way, as in a server that has run for a while. Then V8's memory reducer, 8 s after that
  // collection, shows itself where a server allocates little (docs/benchmarks.md, "Where the
  // 50-client room's worst ticks come from").
  if (process.env.BENCH_SETTLE) await retainedHeap(child);
  let seq = 0;
  const texts = writerClients.map((w) => w.doc!.getText("bench"));
  const typing = startTyping(writers, rate, jitter, (k) => {
    const id = `${k}:${seq++}`;
    sent.set(id, performance.now());
    const text = texts[k]!;
    text.insert(Math.floor(Math.random() * (text.length + 1)), `#${id}#`);
  });
  // The warm-up: the same typing, its latencies dropped (bench/sync.ts, --warmup).
  await sleep(warmup * 1000);
  latencies.length = 0;
  deliveries.length = 0;
  const framesBefore = readers.reduce((a, r) => a + r.frames, 0);
  const window = await Window.open(child);
  await sleep(seconds * 1000);
  typing.stop();
  const expected = sent.size;
  const delivered = await until(() => seen.every((s) => s.size === expected), 5000);
  const w = await window.close();
  const frames = readers.reduce((a, r) => a + r.frames, 0) - framesBefore;
  const converged =
    delivered &&
    (await until(
      () => new Set(writerClients.map((c) => c.doc!.getText("bench").toString())).size === 1,
      5000,
    ));
  for (const c of all) c.close();
  if (dumpTo) {
    const line = {
      timeOrigin: performance.timeOrigin,
      clients,
      writers,
      sent: [...sent],
      deliveries,
      window: w,
    };
    appendFileSync(dumpTo, JSON.stringify(line) + "\n");
  }
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    framesPerS: frames / seconds,
    serverCpu: w.serverCpu,
    serverKernelCpu: w.serverKernelCpu,
    loopP99: w.loopP99,
    rssMb: w.rssMb,
    genCpu: w.genCpu,
    serverWait: w.serverWait,
    stolenServerMs: w.stolenServerMs,
    stolenGenMs: w.stolenGenMs,
    fullGcs: w.fullGcs,
    gcLongestMs: w.gcLongestMs,
    converged,
    delivered: `${seen.reduce((a, s) => a + s.size, 0)}/${expected * readers.length}`,
  };
}

/** The generator held its core (≥ 90%): the figures are the generator's, not the server's. */
export const genBound = (r: Row): boolean => (r.genCpu as number) >= 90;
/** The server got < 50% of its core yet its event loop stalled > 100 ms: the machine was busy. */
export const starved = (r: Row): boolean => (r.serverCpu as number) < 50 && (r.loopP99 as number) > 100;

export interface SearchStep {
  clients: number;
  writers: number;
  row: Row;
  verdict: "pass" | "fail" | "inconclusive";
}

export interface SearchResult {
  /** The largest client count that passed (writers = clients / 10), or 0. */
  largestPass: number;
  /** The smallest that failed, or null when none did. */
  smallestFail: number | null;
  /**
   * The smallest client count whose run was inconclusive (the generator held its core, or the
   * machine starved the server), or null: above it this machine cannot tell the servers apart.
   */
  ceiling: number | null;
  /**
   * Why the search stopped where it did: bisected between a pass and a fail, bisected up to the
   * ceiling (the largest pass is then a lower bound of the server's capacity: the generator, not
   * the server, ran out first), or the cap reached.
   */
  stoppedBy: "bisected" | "ceiling" | "cap";
  steps: SearchStep[];
}

/** What one step of a search found at a client count. */
export type Verdict = SearchStep["verdict"];

/**
 * The search's strategy, apart from the runs: doubles from `start` until a step fails or is
 * inconclusive (or `cap` is passed), then bisects the gap below the smallest such step to
 * `resolution`. An inconclusive step bounds the bisection from above like a fail, but is reported
 * apart (`ceiling`), never as the server's fail.
 */
export async function searchLargest(
  options: { start: number; cap: number; resolution: number },
  attempt: (clients: number) => Promise<Verdict>,
): Promise<Omit<SearchResult, "steps">> {
  let pass = 0;
  let fail: number | null = null;
  let ceiling: number | null = null;
  /** The smallest client count known not to pass (a fail or the ceiling), or null. */
  const bound = (): number | null =>
    fail === null && ceiling === null ? null : Math.min(fail ?? Infinity, ceiling ?? Infinity);
  const record = (n: number, verdict: Verdict): void => {
    if (verdict === "pass") pass = Math.max(pass, n);
    else if (verdict === "fail") fail = Math.min(fail ?? n, n);
    else ceiling = Math.min(ceiling ?? n, n);
  };
  for (let n = options.start; n <= options.cap && bound() === null; n *= 2) record(n, await attempt(n));
  const upperBound = bound();
  if (upperBound === null) return { largestPass: pass, smallestFail: null, ceiling: null, stoppedBy: "cap" };
  for (let upper = upperBound; ; upper = bound()!) {
    const mid = Math.round((pass + upper) / 2 / options.resolution) * options.resolution;
    if (upper - pass <= options.resolution || mid <= pass || mid >= upper) break;
    record(mid, await attempt(mid));
  }
  return {
    largestPass: pass,
    smallestFail: fail,
    ceiling,
    stoppedBy: fail !== null && fail === bound() ? "bisected" : "ceiling",
  };
}

/**
 * Largest hot-room load with p99 ≤ `p99Ms`, every reader converged, and the run neither gen-bound
 * nor starved (`searchLargest`, writers = clients / 10, `rate` keystrokes/s each). An inconclusive
 * run measured the generator or the machine, not the server: it is this machine's ceiling.
 */
export async function searchLargestLoad(
  which: Which,
  options: {
    start: number;
    cap: number;
    rate: number;
    seconds: number;
    warmup: number;
    p99Ms: number;
    resolution: number;
  },
  log: (line: string) => void,
): Promise<SearchResult> {
  const steps: SearchStep[] = [];
  const attempt = async (clients: number): Promise<Verdict> => {
    const writers = Math.max(1, Math.round(clients / 10));
    const row = await withServer(which, (s) =>
      hotRoom(s, { clients, writers, rate: options.rate, seconds: options.seconds, warmup: options.warmup }),
    );
    const verdict =
      genBound(row) || starved(row)
        ? "inconclusive"
        : row.converged && (row.p99 as number) <= options.p99Ms
          ? "pass"
          : "fail";
    steps.push({ clients, writers, row, verdict });
    log(
      `search ${which} ${clients}x${writers}: p99 ${(row.p99 as number).toFixed(1)} ms, server CPU ${(row.serverCpu as number).toFixed(0)}%, gen CPU ${(row.genCpu as number).toFixed(0)}% → ${verdict}`,
    );
    return verdict;
  };
  return { ...(await searchLargest(options, attempt)), steps };
}
