/**
 * Shared helpers for the runner tests: a Node runner serving the test library, and a collector
 * that records every event of a run.
 */
import type { RunEvent, RunRequest } from "../../events.js";
import { createNodeRunner, type NodeRunner } from "../node.js";
import type { DoneEvent } from "../runner.js";

export const TEST_LIBRARY = new URL("./library.ts", import.meta.url);

export function testRunner(poolSize = 2): NodeRunner {
  return createNodeRunner({ poolSize, library: TEST_LIBRARY });
}

export interface Collected {
  events: RunEvent[];
  done: DoneEvent;
  console: string[];
}

export async function collect(
  runner: NodeRunner,
  request: RunRequest,
  signal?: AbortSignal,
): Promise<Collected> {
  const events: RunEvent[] = [];
  const done = await runner.run(request, (e) => events.push(e), signal ? { signal } : {});
  const console = events.flatMap((e) => (e.type === "console" ? [e.text] : []));
  return { events, done, console };
}
