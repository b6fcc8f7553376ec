/**
 * Child process of bench/sync.ts: runs one sync server and reports its CPU time and RSS on request.
 *
 *   tsx bench/sync-server.ts ours       Scratchroom (SQLite persistence, roles, limits), bundled as
 *                                       `npm start` runs it (BENCH_OURS_FROM=sources: the .ts files)
 *   tsx bench/sync-server.ts before     the same from the checkout in BENCH_BEFORE_ROOT (a change's "before")
 *   tsx bench/sync-server.ts baseline   stock @y/websocket-server 0.1.5 (in-memory, no auth)
 *   tsx bench/sync-server.ts hocuspocus @hocuspocus/server 4.x, no extensions (in-memory, no auth)
 *   tsx bench/sync-server.ts yws-equal  @y/websocket-server + y-leveldb + a token check on upgrade
 *   tsx bench/sync-server.ts hocuspocus-equal  Hocuspocus + extension-sqlite + onAuthenticate
 *   tsx bench/sync-server.ts floor      a relay with no doc: the hot room's floor, no server's work
 * (the baselines: bench/sync-baselines.ts)
 *
 * Prints one JSON line {url, docName, token, framing} on stdout when ready; answers "stats" IPC
 * messages with {cpuMicros, cpuSystemMicros, rss, maxRss, heapUsed, loopDelayP99Ms, loopDelayMaxMs, runQueueMs,
 * scavenges, fullGcs, gcLongestMs, gcTotalMs} (the event-loop delay and the collections since the
 * previous "stats", bench/window-collections.ts; the main thread's run-queue wait so far, Linux; the
 * memory as it is, no collection forced: these figures belong to the measured window), "retained"
 * with {retainedHeap} (heap used right after a full collection, `gc()`: the harness starts every
 * server with --expose-gc; with BENCH_HEAP_SNAPSHOTS=<dir> also a heap snapshot there), and {rooms: n}
 * with a classroom of n workspace docs (for ours, one joined participant each, with its token),
 * the session doc and the host's token.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { getHeapSpaceStatistics, writeHeapSnapshot } from "node:v8";
import { execFileSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { logCollections } from "./gc-log.js";
import { tallyCollections } from "./window-collections.js";
import type * as ConfigModule from "../server/config.js";
import type * as LoggerModule from "../server/logger.js";
import type * as MainModule from "../server/main.js";

const which = process.argv[2];

/**
 * How long this process's main thread has waited to run while runnable (other threads or processes
 * on its core), in ms: the second field of Linux's /proc/<pid>/task/<tid>/schedstat; null elsewhere.
 */
function runQueueMs(): number | null {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ");
    return Number(fields[1]) / 1e6;
  } catch {
    return null;
  }
}

/** Anonymous and file-backed RSS in KB from /proc/self/smaps_rollup (Linux), else null. */
function rollup(): { anonKb: number; fileKb: number } | null {
  try {
    const text = readFileSync("/proc/self/smaps_rollup", "utf8");
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, "m").exec(text)?.[1] ?? NaN);
    return { anonKb: kb("Anonymous"), fileKb: kb("Rss") - kb("Anonymous") };
  } catch {
    return null;
  }
}

let maxRss = process.memoryUsage().rss;
setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage().rss)), 200).unref();
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
/** This process's collections since the previous "stats" (window-collections.ts). */
const collections = tallyCollections();
/** Docs the load generator may open: [docName, token] for room i (set per server below). */
let roomDoc: (i: number) => Promise<{ docName: string; token: string }> = async (i) => ({
  docName: `workspace/bench/room${i}`,
  token: "none",
});
/** The session doc and the host's token (the baselines take any doc name and no token). */
let sessionDoc = { docName: "session/bench", token: "none" };
process.on("message", (msg: unknown) => {
  if (typeof msg === "object" && msg !== null && "rooms" in msg) {
    void (async () => {
      const workspaces = [];
      for (let i = 0; i < (msg as { rooms: number }).rooms; i++) workspaces.push(await roomDoc(i));
      process.send!({ workspaces, session: sessionDoc, hostToken: sessionDoc.token });
    })();
    return;
  }
  if (msg === "retained") {
    // What the server holds, without the garbage its next scavenge would free: heap used after a
    // full collection. Asked outside the measured windows (a collection costs CPU and shrinks RSS).
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error("bench server started without --expose-gc (bench/sync-harness.ts adds it)");
    gc();
    const retainedHeap = process.memoryUsage().heapUsed;
    if (process.env.BENCH_HEAP_SNAPSHOTS) {
      writeHeapSnapshot(`${process.env.BENCH_HEAP_SNAPSHOTS}/${which}-${Date.now()}.heapsnapshot`);
    }
    process.send!({ retainedHeap });
    if (process.env.BENCH_STATS_LOG) {
      appendFileSync(
        process.env.BENCH_STATS_LOG,
        JSON.stringify({ which, at: Date.now(), retainedHeap }) + "\n",
      );
    }
    return;
  }
  if (msg === "stats") {
    const memory = process.memoryUsage();
    maxRss = Math.max(maxRss, memory.rss);
    const cpu = process.cpuUsage();
    process.send!({
      cpuMicros: cpu.user + cpu.system,
      cpuSystemMicros: cpu.system,
      rss: memory.rss,
      maxRss,
      heapUsed: memory.heapUsed,
      loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      loopDelayMaxMs: loopDelay.max / 1e6,
      runQueueMs: runQueueMs(),
      ...collections.take(),
    });
    loopDelay.reset();
    // BENCH_STATS_LOG=<file>: every "stats" answer also appended there as a JSON line, with the
    // main thread's V8 heap spaces and the process's anonymous and file-backed RSS (Linux).
    if (process.env.BENCH_STATS_LOG) {
      const spaces = Object.fromEntries(
        getHeapSpaceStatistics()
          .filter((s) => s.physical_space_size > 0)
          .map((s) => [s.space_name, Math.round(s.physical_space_size / 1024)]),
      );
      appendFileSync(
        process.env.BENCH_STATS_LOG,
        JSON.stringify({
          which,
          at: Date.now(),
          rss: memory.rss,
          heapUsed: memory.heapUsed,
          spacesKb: spaces,
          rollup: rollup(),
        }) + "\n",
      );
    }
  }
});

type ServerModules = Pick<typeof ConfigModule, "loadConfig" | "DEFAULT_LIMITS"> &
  Pick<typeof LoggerModule, "createLogger"> &
  Pick<typeof MainModule, "startServer">;

/**
 * Our server's modules from the checkout `root`: by default bundled as `npm start` runs it
 * (bin/bundle-server.js, minified, in a child process so esbuild's memory is not this process's;
 * paths into the sources, so the workers start from them as before); with BENCH_OURS_FROM=sources
 * (BENCH_BEFORE_FROM=sources for "before") the .ts sources module by module. The bundle's directory is removed when this process exits.
 */
async function serverModules(root: string): Promise<ServerModules> {
  const fromSources =
    (which === "before" ? process.env.BENCH_BEFORE_FROM : process.env.BENCH_OURS_FROM) === "sources";
  if (fromSources) {
    const from = (file: string) => pathToFileURL(join(root, "server", file)).href;
    return {
      ...((await import(from("config.js"))) as typeof ConfigModule),
      ...((await import(from("logger.js"))) as typeof LoggerModule),
      ...((await import(from("main.js"))) as typeof MainModule),
    };
  }
  const outdir = join(root, "dist", ".bench", String(process.pid));
  const bundler = resolve(import.meta.dirname, "..", "bin", "bundle-server.js");
  execFileSync(process.execPath, [bundler, "--bench", outdir, root], { stdio: "inherit" });
  process.on("exit", () => rmSync(outdir, { recursive: true, force: true }));
  return (await import(pathToFileURL(join(outdir, "server.js")).href)) as ServerModules;
}

if (which === "ours" || which === "before") {
  // "before": the same server from another checkout (BENCH_BEFORE_ROOT), to measure a change.
  const root = which === "before" ? process.env.BENCH_BEFORE_ROOT : resolve(import.meta.dirname, "..");
  if (!root) throw new Error("set BENCH_BEFORE_ROOT to the checkout to compare against");
  const { loadConfig, DEFAULT_LIMITS, createLogger, startServer } = await serverModules(root);
  const dataDir = mkdtempSync(join(tmpdir(), "scratchroom-bench-"));
  const config = loadConfig(
    {},
    {
      port: 0,
      host: "127.0.0.1",
      dataDir,
      ...(process.env.BENCH_FLUSH_MS ? { flushIntervalMs: Number(process.env.BENCH_FLUSH_MS) } : {}),
      ...(process.env.BENCH_COMPACT_AFTER
        ? { compactAfterUpdates: Number(process.env.BENCH_COMPACT_AFTER) }
        : {}),
      limits: {
        ...DEFAULT_LIMITS,
        maxFrameBytes: 2 * 1024 * 1024,
        maxDocBytes: 64 * 1024 * 1024,
        maxBufferedBytes: 64 * 1024 * 1024,
        messagesPerSecond: 1000,
        messageBurst: 5000,
        joinsPerMinute: 1000,
        maxMetricPoints: 1000,
        // Every simulated client is on loopback and the session doc's share the host key.
        connectionsPerParticipant: 0,
        connectionsPerAddress: 0,
        participantMessagesPerSecond: 1e9,
        participantMessageBurst: 1e9,
      },
    },
  );
  const server = await startServer(config, createLogger("warn"));
  const created = await server.sessions.create("demo");
  const joined = await server.sessions.join(created.joinCode, "bench");
  sessionDoc = { docName: `session/${created.sessionId}`, token: created.hostKey };
  roomDoc = async (i) => {
    const room = await server.sessions.join(created.joinCode, `bench${i}`);
    return { docName: `workspace/${room.sessionId}/${room.workspaceId}`, token: room.token };
  };
  process.on("disconnect", () => {
    void server.close().then(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
  console.log(
    JSON.stringify({
      url: server.url.replace(/^http/, "ws") + "/sync",
      docName: `workspace/${joined.sessionId}/${joined.workspaceId}`,
      token: joined.token,
      framing: "y-websocket",
    }),
  );
} else if (
  which === "baseline" ||
  which === "hocuspocus" ||
  which === "yws-equal" ||
  which === "hocuspocus-equal" ||
  which === "floor"
) {
  const dataDir = mkdtempSync(join(tmpdir(), "scratchroom-bench-"));
  // Imported here, not at the top: it loads yjs from node_modules, which ours (bundled, with its
  // own copy) must not find already loaded.
  const { startBaseline } = await import("./sync-baselines.js");
  const baseline = await startBaseline(which, dataDir);
  roomDoc = async (i) => baseline.roomDoc(i);
  sessionDoc = baseline.session;
  process.on("disconnect", () => {
    void baseline.close().finally(() => {
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
  console.log(JSON.stringify(baseline.info));
} else {
  console.error("usage: sync-server.ts ours|before|baseline|hocuspocus|yws-equal|hocuspocus-equal|floor");
  process.exit(2);
}

// BENCH_GC_LOG=<file>: this server's collections (gc-log.ts).
logCollections(which);
