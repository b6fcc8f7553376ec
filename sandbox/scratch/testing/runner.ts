/**
 * Loads the sandbox runner for integration tests and benchmarks of `scratch`, running it with
 * this library. Loaded dynamically: on a branch without sandbox/runner/ it resolves to undefined,
 * and the callers say so instead of failing to compile.
 */
import type { RunEvent, RunRequest } from "../../events.js";

export type DoneEvent = Extract<RunEvent, { type: "done" }>;

/** The part of the runner API (sandbox/runner/runner.ts) used here. */
export interface ScratchRunner {
  ready(): Promise<void>;
  run(request: RunRequest, onEvent: (event: RunEvent) => void): Promise<DoneEvent>;
  close(): Promise<void>;
}

interface RunnerModule {
  createNodeRunner(options: { poolSize?: number; library?: URL }): ScratchRunner;
}

export async function createScratchRunner(poolSize = 1): Promise<ScratchRunner | undefined> {
  const path = "../../runner/node.js";
  let mod: RunnerModule;
  try {
    mod = (await import(path)) as RunnerModule;
  } catch {
    return undefined;
  }
  return mod.createNodeRunner({ poolSize, library: new URL("../library.ts", import.meta.url) });
}
