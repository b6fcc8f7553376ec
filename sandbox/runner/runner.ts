/**
 * The runner API shared by Node and the browser.
 */
import type { RunEvent, RunRequest } from "../events.js";

export type DoneEvent = Extract<RunEvent, { type: "done" }>;

export interface RunOptions {
  /** Aborting stops the run: cooperatively when possible, by terminating its worker otherwise. */
  signal?: AbortSignal;
}

export interface Runner {
  /** Runs one request; `onEvent` sees every event (the `done` event last); resolves to `done`. */
  run(request: RunRequest, onEvent: (event: RunEvent) => void, options?: RunOptions): Promise<DoneEvent>;
  /** Terminates the workers; pending and running runs end with an internal error. */
  close(): Promise<void>;
}
