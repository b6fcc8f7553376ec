/**
 * Messages between a runner and its worker. The same protocol serves worker_threads in Node and
 * Web Workers in the browser.
 */
import type { RunEvent, RunRequest } from "../events.js";

export type ToWorker =
  /** Starts a run. `stop`, when given, is a shared flag the worker polls to stop cooperatively. */
  { type: "run"; id: number; request: RunRequest; stop?: SharedArrayBuffer };

export type FromWorker =
  /** The worker has compiled QuickJS, initialised the library and can take a run. */
  | { type: "ready"; bootMs: number }
  | { type: "event"; id: number; event: RunEvent }
  /**
   * Sent just before run `id`'s `done`: this worker must not serve another run (a kernel failed
   * inside its tensor backend, or its native heap grew past the bound); the pool replaces it.
   */
  | { type: "retire"; id: number; reason: string }
  /** The worker could not start (e.g. the library's init failed). */
  | { type: "fatal"; message: string };
