/// <reference types="vite/client" />
/**
 * The client training benchmark page: the room's runner (its default worker, the `scratch` library
 * on tfjs wasm) and a worker running the same models written directly against tfjs (direct.ts),
 * on the same backend. bench/client-training.ts drives it through `window.roomRun` and
 * `window.directRun`.
 */
import type { DeviceInfo, RunEvent } from "../../sandbox/events.js";
import { createBrowserRunner } from "../../sandbox/runner/browser.js";
import spiralsSource from "../../sandbox/scratch/test/programs/spirals-mlp.js?raw";
import mnistSource from "../../sandbox/scratch/test/programs/mnist-cnn.js?raw";

const SOURCES = { spirals: spiralsSource, mnist: mnistSource } as const;
type Program = keyof typeof SOURCES;

const runner = createBrowserRunner();
const direct = new Worker(new URL("./direct.ts", import.meta.url), { type: "module" });

/** Runs a program in the room's runner: its duration (ms), console lines and device. */
async function roomRun(program: Program): Promise<{ ms: number; console: string[]; device?: DeviceInfo }> {
  const lines: string[] = [];
  const done = await runner.run(
    { source: SOURCES[program], limits: { timeoutMs: 600_000 } },
    (e: RunEvent) => {
      if (e.type === "console") lines.push(e.text);
    },
  );
  if (done.status !== "ok") throw new Error(`${program}: ${done.error?.message}`);
  return { ms: done.durationMs, console: lines, ...(done.device ? { device: done.device } : {}) };
}

/** Runs the direct-tfjs version in the same page: its duration (ms) and accuracy. */
function directRun(program: Program): Promise<{ ms: number; accuracy: number; device: DeviceInfo }> {
  return new Promise((resolve) => {
    direct.addEventListener("message", (e) => resolve(e.data), { once: true });
    direct.postMessage(program);
  });
}

Object.assign(globalThis, { roomRun, directRun, runnerReady: runner.ready().then(() => true) });
