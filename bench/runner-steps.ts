/**
 * Iteration harness for the room's per-step overhead: runs sandbox/scratch/programs/spirals-mlp.js
 * in the runner's engine in this process (no worker), prints the wall time of each run and a
 * digest of every loss's bits (the numbers must not change). `RUNS=n`, `PROGRAM=name`.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createHash } from "node:crypto";
import { Engine } from "../sandbox/runner/engine.js";
import { scratchLibrary } from "../sandbox/scratch/library.js";
import type { RunEvent } from "../sandbox/events.js";

const require = createRequire(import.meta.url);
const program = process.env.PROGRAM ?? "spirals-mlp";
const source =
  readFileSync(new URL(`../sandbox/scratch/programs/${program}.js`, import.meta.url), "utf8").replace(
    "step < 300",
    `step < ${process.env.STEPS ?? 300}`,
  ) +
  (program === "spirals-mlp"
    ? `\nconsole.log(JSON.stringify(Array.from(new Uint32Array(new Float32Array(losses).buffer))));\n`
    : "");
const wasm = await WebAssembly.compile(
  readFileSync(require.resolve("@jitl/quickjs-wasmfile-release-sync/wasm")),
);
const engine = await Engine.create({ library: scratchLibrary, wasm, maxStackBytes: 1024 * 1024 });
let kernelMs = 0;
let calls = 0;
if (process.env.KTIME) {
  for (const k of Object.values(scratchLibrary.kernels)) {
    const run = k.run.bind(k);
    k.run = (...args) => {
      const t = performance.now();
      try {
        return run(...args);
      } finally {
        const d = performance.now() - t;
        kernelMs += d;
        calls++;
      }
    };
  }
}
const runs = Number(process.env.RUNS ?? 5);
const times: number[] = [];
const rest: number[] = [];
for (let i = 0; i < runs; i++) {
  const lines: string[] = [];
  let done: RunEvent | undefined;
  const t0 = performance.now();
  await engine.run({ source, limits: { timeoutMs: 600_000 } }, (e) => {
    if (e.type === "console") lines.push(e.text);
    if (e.type === "done") done = e;
  });
  const ms = performance.now() - t0;
  if (done?.type === "done" && done.status !== "ok") throw new Error(JSON.stringify(done));
  times.push(ms);
  if (process.env.KTIME) {
    console.log(
      `  kernels ${kernelMs.toFixed(0)} ms in ${calls} calls, the rest ${(ms - kernelMs).toFixed(0)} ms`,
    );
    rest.push(ms - kernelMs);
  }
  kernelMs = 0;
  calls = 0;
  const digest = createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 16);
  console.log(`run ${i}: ${ms.toFixed(0)} ms, output digest ${digest} (${lines.length} lines)`);
  await scratchLibrary.reset?.();
}
times.sort((a, b) => a - b);
rest.sort((a, b) => a - b);
if (rest.length > 0)
  console.log(
    `outside kernels: min ${rest[0]!.toFixed(0)} ms, median ${rest[Math.floor(rest.length / 2)]!.toFixed(0)} ms`,
  );
console.log(`median ${times[Math.floor(times.length / 2)]!.toFixed(0)} ms`);
