/**
 * Test page for the shipping configuration: createBrowserRunner() with its default worker, which
 * serves the real `scratch` library (browser build). Driven by browser.test.ts via `runCase`.
 */
import type { RunEvent, RunRequest } from "../../../events.js";
import { createBrowserRunner } from "../../browser.js";

const runner = createBrowserRunner();

async function runCase(request: RunRequest): Promise<{ events: RunEvent[] }> {
  const events: RunEvent[] = [];
  await runner.run(request, (e) => events.push(e));
  return { events };
}

Object.assign(globalThis, { runCase, runnerReady: runner.ready().then(() => true) });
