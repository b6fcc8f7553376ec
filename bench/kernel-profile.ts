/**
 * Per-kernel host time of a training program in the runner's engine (this process, no worker):
 * every scratch kernel's `run` is wrapped with a timer; prints calls, total ms and µs per call of
 * each kernel over the last of `RUNS` runs (default 3; the first warms up), and the output digest
 * (as bench/runner-steps.ts). `PROGRAM=name` (default spirals-mlp).
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
  readFileSync(new URL(`../sandbox/scratch/programs/${program}.js`, import.meta.url), "utf8") +
  (program === "spirals-mlp"
    ? `\nconsole.log(JSON.stringify(Array.from(new Uint32Array(new Float32Array(losses).buffer))));\n`
    : "");
const wasm = await WebAssembly.compile(
  readFileSync(require.resolve("@jitl/quickjs-wasmfile-release-sync/wasm")),
);
const engine = await Engine.create({ library: scratchLibrary, wasm, maxStackBytes: 1024 * 1024 });
const stats = new Map<string, { calls: number; ms: number }>();
for (const [name, k] of Object.entries(scratchLibrary.kernels)) {
  const run = k.run.bind(k);
  k.run = (...args) => {
    const t = performance.now();
    try {
      return run(...args);
    } finally {
      const s = stats.get(name) ?? { calls: 0, ms: 0 };
      s.calls++;
      s.ms += performance.now() - t;
      stats.set(name, s);
    }
  };
}
const runs = Number(process.env.RUNS ?? 3);
for (let i = 0; i < runs; i++) {
  stats.clear();
  const lines: string[] = [];
  let done: RunEvent | undefined;
  const t0 = performance.now();
  await engine.run({ source, limits: { timeoutMs: 600_000 } }, (e) => {
    if (e.type === "console") lines.push(e.text);
    if (e.type === "done") done = e;
  });
  const ms = performance.now() - t0;
  if (done?.type === "done" && done.status !== "ok") throw new Error(JSON.stringify(done));
  const digest = createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 16);
  const kernelMs = [...stats.values()].reduce((a, s) => a + s.ms, 0);
  console.log(
    `run ${i}: ${ms.toFixed(0)} ms, kernels ${kernelMs.toFixed(0)} ms, rest ${(ms - kernelMs).toFixed(0)} ms, digest ${digest}`,
  );
  await scratchLibrary.reset?.();
}
const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
console.log("kernel | calls | ms | µs/call");
for (const [name, s] of rows)
  console.log(`${name} | ${s.calls} | ${s.ms.toFixed(1)} | ${((1000 * s.ms) / s.calls).toFixed(0)}`);
