/**
 * Test page: the browser runner with its default worker, which serves the `scratch` library as
 * the client will (library.browser.ts). browser.test.ts drives it through `window.runCase`.
 */
import type { RunEvent, RunRequest } from "../../../events.js";
import { createBrowserRunner } from "../../../runner/browser.js";

const runner = createBrowserRunner();

async function runCase(request: RunRequest): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  await runner.run(request, (e) => events.push(e));
  return events;
}

Object.assign(globalThis, { runCase, runnerReady: runner.ready().then(() => true) });
