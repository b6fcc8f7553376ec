/**
 * The browser test page: a createBrowserRunner on the test library, driven by browser.test.ts
 * through `window.runCase`, which returns every event of one run with its arrival time, and
 * `window.workersStarted`.
 */
import type { RunEvent, RunRequest } from "../../../events.js";
import { createBrowserRunner } from "../../browser.js";

export interface CaseResult {
  events: (RunEvent & { arrivedMs: number })[];
}

const runner = createBrowserRunner({
  createWorker: () => new Worker(new URL("./worker.ts", import.meta.url), { type: "module" }),
});

async function runCase(request: RunRequest, abortAfterMs?: number): Promise<CaseResult> {
  const events: CaseResult["events"] = [];
  const start = performance.now();
  const controller = new AbortController();
  if (abortAfterMs !== undefined) setTimeout(() => controller.abort(), abortAfterMs);
  await runner.run(request, (e) => events.push({ ...e, arrivedMs: performance.now() - start }), {
    signal: controller.signal,
  });
  return { events };
}

/** Workers that have started so far: a Stop that terminated its worker makes this grow. */
const workersStarted = () => runner.coldStarts.length;

Object.assign(globalThis, { runCase, workersStarted, runnerReady: runner.ready().then(() => true) });
