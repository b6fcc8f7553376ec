/**
 * The room's one sandbox runner: a Web Worker running QuickJS with the `scratch` library, created
 * when the room opens so the first Run does not pay for start-up.
 */
import type { RunEvent, RunRequest } from "../../sandbox/events.js";

export interface Runner {
  run(
    request: RunRequest,
    onEvent: (event: RunEvent) => void,
    options?: { signal?: AbortSignal },
  ): Promise<unknown>;
}

let runner: Promise<Runner> | null = null;

async function createRunner(): Promise<Runner> {
  throw new Error("The sandbox runner is not part of this build yet.");
}

export function sandboxRunner(): Promise<Runner> {
  runner ??= createRunner();
  return runner;
}
