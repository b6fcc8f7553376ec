/**
 * Runs a program the way the CLI and verify do (the Node runner, the `scratch` library on tfjs
 * wasm) and returns its console lines: the reference the browser tests compare the room with.
 */
import type { RunRequest } from "../../events.js";
import { createNodeRunner } from "../../runner/node.js";

export async function runInNode(source: string, request: Partial<RunRequest> = {}): Promise<string[]> {
  const runner = createNodeRunner({ poolSize: 1 });
  try {
    const lines: string[] = [];
    const done = await runner.run({ ...request, source }, (e) => {
      if (e.type === "console") lines.push(e.text);
    });
    if (done.status !== "ok") throw new Error(`Node run failed: ${done.error?.message}`);
    return lines;
  } finally {
    await runner.close();
  }
}
