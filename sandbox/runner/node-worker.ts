/**
 * Entry of a Node runner worker (worker_threads). `workerData` names the library module (a module
 * exporting a HostLibrary as `library`, `scratchLibrary` or default) and the stack limit that fits this thread's stack.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { parentPort, workerData } from "node:worker_threads";
import type { HostLibrary } from "../kernel/types.js";
import type { ToWorker } from "./protocol.js";
import { serveRuns } from "./worker.js";

export interface NodeWorkerData {
  libraryUrl: string;
  maxStackBytes: number;
  /** Tensor heap past which the worker retires after a run (see NodeRunnerOptions). */
  maxHeapBytes?: number;
  /** QuickJS compiled once by the parent and shared with every worker (else compiled here). */
  wasm?: WebAssembly.Module;
}

const data = workerData as NodeWorkerData;
const port = parentPort;
if (!port) throw new Error("node-worker must run in a worker thread");

const require = createRequire(import.meta.url);

await serveRuns(
  {
    post: (message) => port.postMessage(message),
    listen: (handler) => port.on("message", (m: ToWorker) => handler(m)),
  },
  {
    library: async () => {
      const module = (await import(data.libraryUrl)) as Record<string, HostLibrary | undefined>;
      const library = module.library ?? module.scratchLibrary ?? module.default;
      if (!library) throw new Error(`${data.libraryUrl} exports no HostLibrary`);
      return library;
    },
    wasm: async () =>
      data.wasm ??
      WebAssembly.compile(await readFile(require.resolve("@jitl/quickjs-wasmfile-release-sync/wasm"))),
    maxStackBytes: data.maxStackBytes,
    ...(data.maxHeapBytes !== undefined ? { maxHeapBytes: data.maxHeapBytes } : {}),
  },
);
