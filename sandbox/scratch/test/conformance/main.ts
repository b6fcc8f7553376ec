/**
 * Conformance test page: the browser runner on the conformance worker, its backend pinned by
 * `?backend=` (none: the room's library as shipped). conformance.test.ts drives it through
 * `window.runCase`.
 */
import type { RunEvent, RunRequest } from "../../../events.js";
import { createBrowserRunner } from "../../../runner/browser.js";

const backend = new URLSearchParams(location.search).get("backend") ?? "";

const runner = createBrowserRunner({
  createWorker: () => new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: backend }),
});

async function runCase(request: RunRequest): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  await runner.run(request, (e) => events.push(e));
  return events;
}

Object.assign(globalThis, { runCase, runnerReady: runner.ready().then(() => true) });
