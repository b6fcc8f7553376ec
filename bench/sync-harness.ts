/**
 * What every bench/sync.ts scenario needs around the servers: spawning one in its own pinned child
 * process (bench/sync-server.ts), asking it for docs and its CPU/memory/event-loop figures, a
 * measuring window, and readers that time the markers writers type.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { importMetaOfSource, NODE_ESM_BUNDLE } from "../bin/bundle-server.js";
import { installedVersion } from "./baselines/index.js";
import { coreSteal, stolenBetween } from "./core-steal.js";
import { scanMarkers, SeenMarkers, type SentMarkers } from "./markers.js";
import { BenchClient, type ServerInfo, type Transport } from "./sync-client.js";
import { sleep } from "./stats.js";
import type { WindowCollections } from "./window-collections.js";

export type Which =
  | "ours"
  | "ours-sync"
  | "before"
  | "before-sync"
  | "baseline"
  | "hocuspocus"
  | "yws-equal"
  | "hocuspocus-equal"
  | "floor";

/** The installed version of a package (from its package.json under node_modules). */
const yws = `@y/websocket-server ${installedVersion("@y/websocket-server")}`;
const hocuspocus = `@hocuspocus/server ${installedVersion("@hocuspocus/server")}`;

export const serverNames: Record<Which, string> = {
  ours: "Scratchroom",
  "ours-sync": "Scratchroom, sync part only",
  before: "Scratchroom before (BENCH_BEFORE_ROOT)",
  "before-sync": "Scratchroom before, sync part only",
  baseline: `${yws} (bare)`,
  hocuspocus: `${hocuspocus} (bare)`,
  "yws-equal": `${yws} + y-leveldb + token check`,
  "hocuspocus-equal": `${hocuspocus} + SQLite + onAuthenticate`,
  floor: "floor: a relay with no doc (hot room only)",
};

/** The baselines doing our work too (a token check, persistence): the rows the issue compares with. */
export const equalWork: readonly Which[] = ["yws-equal", "hocuspocus-equal"];
/** The bare baselines (in memory, no auth). */
export const bare: readonly Which[] = ["baseline", "hocuspocus"];

/** One measurement: figures, plus `converged` and the generator's CPU. */
export type Row = Record<string, number | string | boolean>;

export const taskset = ["/usr/bin/taskset", "/bin/taskset"].find((p) => existsSync(p)) ?? null;

/** The environment without NODE_OPTIONS (the generator's own Node flags are not the servers'). */
function withoutNodeOptions(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _generatorOnly, ...rest } = env;
  return rest;
}

/** The cores the bench pins to, where taskset exists: every server on one, the load generator on the other. */
export const SERVER_CORE = 0;
export const GENERATOR_CORE = 1;

/** Pins this process (the load generator) to `GENERATOR_CORE`. */
export function pinGenerator(): void {
  if (taskset)
    execFileSync(taskset, ["-a", "-cp", String(GENERATOR_CORE), String(process.pid)], { stdio: "ignore" });
}

/** This process's open-file limit (soft) and the most it could be raised to (hard). */
export function fdLimits(): { soft: number; hard: number } {
  const read = (flag: string) =>
    Number(
      execFileSync("sh", ["-c", `ulimit ${flag}`])
        .toString()
        .trim(),
    );
  const parse = (n: number) => (Number.isFinite(n) ? n : Infinity);
  return { soft: parse(read("-Sn")), hard: parse(read("-Hn")) };
}

export interface Stats {
  cpuMicros: number;
  /** Of `cpuMicros`, the time in the kernel (system calls: a fan-out's socket writes). */
  cpuSystemMicros: number;
  rss: number;
  maxRss: number;
  heapUsed: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** The server's main thread's wait to run while runnable, so far (ms; null: not Linux). */
  runQueueMs: number | null;
}

/** A "stats" answer: the figures above and the server's collections since the previous one. */
export type StatsAnswer = Stats & WindowCollections;

export interface Server {
  child: ChildProcess;
  info: ServerInfo;
}

/**
 * The command in a checkout's `npm start` that runs the server:
 * `[VAR=value …] node [--flag …] bin/scratchroom.js serve`.
 */
const serveCommand =
  /(?:^|&&\s*)((?:[A-Z_][A-Z0-9_]*=\S+\s+)*)node((?:\s+--\S+)*)\s+bin\/scratchroom\.js serve\b/;

function startScript(root: string): string {
  const { scripts } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  return scripts.start ?? "";
}

/**
 * The Node flags the checkout at `root` starts its server with: those between `node` and
 * `bin/scratchroom.js serve` in its package.json's `start` script.
 */
export function productionNodeFlags(root: string): string[] {
  const flags = serveCommand.exec(startScript(root))?.[2];
  return flags?.split(/\s+/).filter(Boolean) ?? [];
}

/**
 * The environment variables the checkout at `root` starts its server with: the assignments before
 * `node` in that command (an allocator setting such as `MALLOC_ARENA_MAX`, read by glibc when the
 * process starts, cannot be set from inside it).
 */
export function productionNodeEnv(root: string): Record<string, string> {
  const assignments = serveCommand.exec(startScript(root))?.[1] ?? "";
  return Object.fromEntries(
    assignments
      .split(/\s+/)
      .filter(Boolean)
      .map((a) => [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]),
  );
}

/**
 * bench/sync-server.ts compiled to plain JavaScript (once per run), for BENCH_SERVERS_WITHOUT_TSX=1:
 * every server then runs on plain node, as production runs it, instead of under `--import tsx`,
 * whose module hooks cost each server ~35 MB of RSS, ours ~8 MB more (docs/benchmarks.md, "Process
 * RSS under the bench"). Only our TypeScript is compiled; every package import becomes the absolute
 * path of the file it resolves to from the importing source, so each server loads the same
 * packages, unbundled, from the same node_modules as under tsx.
 */
let compiledServerScript: Promise<string> | null = null;
function serverScriptWithoutTsx(): Promise<string> {
  compiledServerScript ??= (async () => {
    const outdir = mkdtempSync(join(tmpdir(), "bench-sync-server-"));
    process.on("exit", () => rmSync(outdir, { recursive: true, force: true }));
    const packagesByPath: esbuild.Plugin = {
      name: "packages-by-path",
      setup(build) {
        build.onResolve({ filter: /^[^./]/ }, async (args) => {
          if (args.pluginData === "resolving" || args.path.startsWith("node:")) return undefined;
          const found = await build.resolve(args.path, {
            kind: args.kind,
            resolveDir: args.resolveDir,
            pluginData: "resolving",
          });
          return found.errors.length > 0 ? undefined : { path: found.path, external: true };
        });
      },
    };
    await esbuild.build({
      entryPoints: { "sync-server": resolve(import.meta.dirname, "sync-server.ts") },
      outdir,
      // Split: sync-baselines.ts stays a chunk loaded only by a baseline's server (it loads yjs).
      ...NODE_ESM_BUNDLE,
      plugins: [
        packagesByPath,
        // Each source's own URL and directory, as under tsx (sync-server.ts finds the checkout by it).
        importMetaOfSource(resolve(import.meta.dirname, ".."), (source) =>
          JSON.stringify(pathToFileURL(source).href),
        ),
      ],
      logLevel: "warning",
    });
    return join(outdir, "sync-server.js");
  })();
  return compiledServerScript;
}

/**
 * Starts one server in a child process pinned to `SERVER_CORE`, its open-file limit raised to the hard
 * limit (idle capacity opens thousands of sockets).
 */
export async function spawnServer(which: Which): Promise<Server> {
  const script = resolve(import.meta.dirname, "sync-server.ts");
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the servers.
  const extra = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  // "ours-sync" ("before-sync") is our server (before's) under a load without its HTTP part (the
  // scenario decides).
  const kind = which === "ours-sync" ? "ours" : which === "before-sync" ? "before" : which;
  // Ours and "before" run with the Node flags their checkout's `npm start` gives the server (as the
  // Docker image does); BENCH_OURS_NODE_ARGS adds flags to ours only (not "before"), to try one.
  // Their environment too: the assignments in front of `node` there.
  const checkout =
    kind === "ours"
      ? resolve(import.meta.dirname, "..")
      : kind === "before"
        ? (process.env.BENCH_BEFORE_ROOT ?? null)
        : null;
  const ours = [
    ...(checkout ? productionNodeFlags(checkout) : []),
    ...(kind === "ours" ? (process.env.BENCH_OURS_NODE_ARGS?.split(" ").filter(Boolean) ?? []) : []),
  ];
  // --expose-gc for every server, so the harness can ask each for its heap after a full collection
  // ("retained", outside the measured windows); the flag only defines the global `gc` (nothing in
  // the servers or their packages reads it) and changes no collection by itself.
  const node =
    process.env.BENCH_SERVERS_WITHOUT_TSX === "1"
      ? [process.execPath, "--expose-gc", ...extra, ...ours, await serverScriptWithoutTsx(), kind]
      : [process.execPath, "--expose-gc", ...extra, ...ours, "--import", "tsx", script, kind];
  const pinned = taskset ? [taskset, "-c", String(SERVER_CORE), ...node] : node;
  const child = spawn("sh", ["-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', "sh", ...pinned], {
    stdio: ["ignore", "pipe", "inherit", "ipc"],
    env: { ...withoutNodeOptions(process.env), ...(checkout ? productionNodeEnv(checkout) : {}) },
  });
  // BENCH_SERVER_STDOUT_DIR=<dir>: each server's stdout (V8's --trace-gc output, say) also goes to
  // <dir>/<which>-<pid>.log.
  const stdoutDir = process.env.BENCH_SERVER_STDOUT_DIR;
  const info = await new Promise<ServerInfo>((resolveInfo, reject) => {
    let out = "";
    let ready = false;
    child.stdout!.on("data", (d: Buffer) => {
      if (stdoutDir) appendFileSync(join(stdoutDir, `${which}-${child.pid}.log`), d);
      if (ready) return;
      out += d.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (line) {
        ready = true;
        resolveInfo(JSON.parse(line) as ServerInfo);
      }
    });
    child.once("exit", (code) => reject(new Error(`${which} server exited (${code})`)));
  });
  return { child, info };
}

export async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once("exit", r));
  child.disconnect();
  await Promise.race([exited, sleep(5000)]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

/** Runs `measure` against a fresh server of kind `which`, stopping it afterwards. */
export async function withServer(which: Which, measure: (server: Server) => Promise<Row>): Promise<Row> {
  const server = await spawnServer(which);
  try {
    return await measure(server);
  } finally {
    await stopServer(server.child);
  }
}

export function stats(child: ChildProcess): Promise<StatsAnswer> {
  return new Promise((r) => {
    child.once("message", (m) => r(m as StatsAnswer));
    child.send("stats");
  });
}

/**
 * The server's heap used right after a full collection (bytes): what it retains, without the
 * garbage not yet collected (how much of that there is depends on when V8 last ran a scavenge).
 */
export function retainedHeap(child: ChildProcess): Promise<number> {
  return new Promise((r) => {
    child.once("message", (m) => r((m as { retainedHeap: number }).retainedHeap));
    child.send("retained");
  });
}

export interface Doc {
  docName: string;
  token: string;
}

/** Docs for a classroom on the server: workspace i's doc and token, the session doc, the host's key. */
export interface Classroom {
  workspaces: Doc[];
  session: Doc;
  hostToken: string;
}

/** Asks the server for `rooms` workspace docs (for ours: one joined participant each). */
export function classroomDocs(child: ChildProcess, rooms: number): Promise<Classroom> {
  return new Promise((r) => {
    const onMessage = (m: unknown) => {
      if (typeof m !== "object" || m === null || !("workspaces" in m)) return;
      child.off("message", onMessage);
      r(m as Classroom);
    };
    child.on("message", onMessage);
    child.send({ rooms });
  });
}

/** CPU of the server and of this process over a window, and the server's event-loop delay. */
export class Window {
  private readonly t0 = performance.now();
  private readonly genCpu0 = process.cpuUsage();
  private readonly steal0 = coreSteal();
  private constructor(
    private readonly child: ChildProcess,
    private readonly before: Stats,
  ) {}
  static async open(child: ChildProcess): Promise<Window> {
    return new Window(child, await stats(child));
  }
  async close() {
    const after = await stats(this.child);
    const wall = (performance.now() - this.t0) * 1000;
    const gen = process.cpuUsage(this.genCpu0);
    const steal = coreSteal();
    return {
      wallMs: wall / 1000,
      serverCpu: ((after.cpuMicros - this.before.cpuMicros) / wall) * 100,
      serverKernelCpu: ((after.cpuSystemMicros - this.before.cpuSystemMicros) / wall) * 100,
      genCpu: ((gen.user + gen.system) / wall) * 100,
      loopP99: after.loopDelayP99Ms,
      rssMb: after.maxRss / 2 ** 20,
      // Share of the window the server's event loop was ready but off the core (other threads of
      // the server, or other processes, on its core): the machine's part of a latency tail.
      serverWait:
        after.runQueueMs === null || this.before.runQueueMs === null
          ? NaN
          : ((after.runQueueMs - this.before.runQueueMs) / (wall / 1000)) * 100,
      // What the hypervisor took from the server's core and the generator's over the
      // window, in ms (bench/core-steal.ts); NaN when nothing is pinned or /proc/stat is not there.
      stolenServerMs: taskset ? stolenBetween(this.steal0, steal, SERVER_CORE) : NaN,
      stolenGenMs: taskset ? stolenBetween(this.steal0, steal, GENERATOR_CORE) : NaN,
      // The server's own collections in the window (the "stats" at its opening began the tally).
      fullGcs: after.fullGcs,
      gcLongestMs: after.gcLongestMs,
    };
  }
}

/**
 * A reader without a Y.Doc: scans every update it receives for markers (bench/markers.ts) it has
 * not seen yet and records their latency from `sent`. `seen` is what it received (for the
 * convergence check); `onDelivery` hears of each marker's first arrival (its id, time and latency).
 */
export function markerReader(
  info: ServerInfo,
  sent: SentMarkers,
  latencies: number[],
  seen: SeenMarkers = new SeenMarkers(),
  onDelivery?: (id: string, at: number, latency: number) => void,
  transport: Transport = "ws",
): BenchClient {
  // One callback per reader, the frame's arrival time beside it: nothing allocated per frame.
  let arrival = 0;
  const found = (writer: number, seq: number): void => {
    const t = sent.at(seq);
    if (t === undefined || !seen.add(seq)) return;
    latencies.push(arrival - t);
    onDelivery?.(`${writer}:${seq}`, arrival, arrival - t);
  };
  return new BenchClient(
    info,
    (update, at) => {
      arrival = at;
      scanMarkers(update, found);
    },
    null,
    transport,
  );
}
