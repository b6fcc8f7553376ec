/**
 * The runner in the browser: the same API as in Node, on a module Web Worker that Vite bundles
 * (`new Worker(new URL(…), { type: "module" })` is the form Vite recognises).
 */
import { WorkerPool, type WorkerHandle } from "./pool.js";
import type { FromWorker, ToWorker } from "./protocol.js";
import type { Runner } from "./runner.js";

export interface BrowserRunnerOptions {
  /**
   * Creates the worker. Default: the worker serving the `scratch` library. A page serving another
   * library passes its own worker entry (which calls serveBrowserRuns with that library).
   */
  createWorker?: () => Worker;
  /** Workers kept ready. Default 1. */
  poolSize?: number;
}

export type BrowserRunner = Runner & { ready(): Promise<void>; readonly coldStarts: readonly number[] };

function scratchWorker(): Worker {
  return new Worker(new URL("./browser-worker.ts", import.meta.url), { type: "module" });
}

function adapt(worker: Worker): WorkerHandle {
  let terminated = false;
  return {
    post: (message: ToWorker) => worker.postMessage(message),
    terminate: () => {
      terminated = true;
      worker.terminate();
    },
    listen(onMessage, onExit) {
      worker.addEventListener("message", (e: MessageEvent<FromWorker>) => onMessage(e.data));
      worker.addEventListener("error", (e) => {
        if (!terminated) onExit(e.message || "worker error");
      });
    },
  };
}

export function createBrowserRunner(options: BrowserRunnerOptions = {}): BrowserRunner {
  const create = options.createWorker ?? scratchWorker;
  return new WorkerPool({ size: options.poolSize ?? 1, spawn: () => adapt(create()) });
}
