/**
 * The runner in Node: a pool of warm worker_threads workers, each with QuickJS compiled once.
 *
 * From the TypeScript sources (development, tests) Node 20 cannot start a `.ts` worker by
 * itself, so the worker is bootstrapped through tsx's loader; from dist/ it is plain JavaScript.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { NodeWorkerData } from "./node-worker.js";
import { WorkerPool, type WorkerHandle } from "./pool.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import { plainWorkerExecArgv } from "./exec-argv.js";
import type { Runner } from "./runner.js";

/**
 * Native stack of each worker thread, and the QuickJS stack limit it can hold. Measured: QuickJS
 * frames (JSON.stringify of deep nesting is the worst case) use up to ~16× their accounted stack
 * in V8's native stack, so 16 MB of thread stack carries a 1 MB QuickJS limit.
 */
export const WORKER_STACK_MB = 16;
export const NODE_MAX_STACK_BYTES = (WORKER_STACK_MB * 1024 * 1024) / 16;

export interface NodeRunnerOptions {
  /** Warm workers kept ready (runs beyond that wait in a queue). Default 2. */
  poolSize?: number;
  /** A module exporting a HostLibrary (as `library`, `scratchLibrary` or default). Default: `scratch`. */
  library?: URL;
  graceMs?: number;
  /**
   * A worker whose tensor heap (the tfjs wasm memory, which never shrinks) grew past this many
   * bytes is replaced after its run, so the process's memory returns to baseline. Default
   * {@link DEFAULT_MAX_HEAP_BYTES}, or `SCRATCHROOM_SANDBOX_HEAP_MB` from the environment.
   */
  maxHeapBytes?: number;
}

/** Default bound on a worker's tensor heap before it is recycled: 256 MB. */
export const DEFAULT_MAX_HEAP_BYTES = 256 * 1024 * 1024;

function heapBound(): number {
  const mb = Number(process.env.SCRATCHROOM_SANDBOX_HEAP_MB);
  return Number.isFinite(mb) && mb > 0 ? mb * 1024 * 1024 : DEFAULT_MAX_HEAP_BYTES;
}

export type NodeRunner = Runner & { ready(): Promise<void>; readonly coldStarts: readonly number[] };

const fromSource = import.meta.url.endsWith(".ts");
const workerUrl = new URL(fromSource ? "./node-worker.ts" : "./node-worker.js", import.meta.url);
const defaultLibrary = new URL(
  fromSource ? "../scratch/library.ts" : "../scratch/library.js",
  import.meta.url,
);

let compiled: WebAssembly.Module | undefined;

/**
 * QuickJS's WebAssembly module, compiled once per process and handed to every worker (compiled
 * modules cross threads without recompiling), which takes the compile off each cold start.
 */
function compiledQuickJS(): WebAssembly.Module {
  if (!compiled) {
    const require = createRequire(import.meta.url);
    compiled = new WebAssembly.Module(
      readFileSync(require.resolve("@jitl/quickjs-wasmfile-release-sync/wasm")),
    );
  }
  return compiled;
}

/**
 * tsx's loader API as an absolute URL: an eval'd worker resolves bare specifiers from the working
 * directory, which need not be this project (`scratchroom run` in a host's pack folder).
 */
function tsxApiUrl(): string {
  return import.meta.resolve("tsx/esm/api");
}

function spawnWorker(data: NodeWorkerData): WorkerHandle {
  const options = { workerData: data, resourceLimits: { stackSizeMb: WORKER_STACK_MB } };
  const worker = fromSource
    ? new Worker(
        `import(${JSON.stringify(tsxApiUrl())}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); });`,
        { ...options, eval: true },
      )
    : new Worker(workerUrl, { ...options, execArgv: plainWorkerExecArgv(process.execArgv) });
  let terminated = false;
  return {
    post: (message: ToWorker) => worker.postMessage(message),
    terminate: () => {
      terminated = true;
      void worker.terminate();
    },
    listen(onMessage, onExit) {
      worker.on("message", (m: FromWorker) => onMessage(m));
      worker.on("error", (err) => {
        if (!terminated) onExit(err instanceof Error ? err.message : String(err));
      });
      worker.on("exit", (code) => {
        if (!terminated) onExit(`exit code ${code}`);
      });
    },
  };
}

export function createNodeRunner(options: NodeRunnerOptions = {}): NodeRunner {
  const data: NodeWorkerData = {
    libraryUrl: (options.library ?? defaultLibrary).href,
    maxStackBytes: NODE_MAX_STACK_BYTES,
    maxHeapBytes: options.maxHeapBytes ?? heapBound(),
    wasm: compiledQuickJS(),
  };
  const poolOptions: ConstructorParameters<typeof WorkerPool>[0] = {
    size: options.poolSize ?? 2,
    spawn: () => spawnWorker(data),
  };
  if (options.graceMs !== undefined) poolOptions.graceMs = options.graceMs;
  return new WorkerPool(poolOptions);
}
