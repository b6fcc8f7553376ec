/**
 * Per-kernel host time of a training program in the runner's engine (this process, no worker):
 * every scratch kernel's `run` is wrapped with a timer; prints calls, total ms and µs per call of
 * each kernel over the last of `RUNS` runs (default 3; the first warms up), and the output digest
 * (as bench/runner-steps.ts). `PROGRAM=name` (default spirals-mlp).
 */
import { createEngine, programSource, runProgram, timeKernels } from "./engine-program.js";

const source = programSource(process.env.PROGRAM ?? "spirals-mlp");
const engine = await createEngine();
const stats = new Map<string, { calls: number; ms: number }>();
timeKernels((name, ms) => {
  const s = stats.get(name) ?? { calls: 0, ms: 0 };
  s.calls++;
  s.ms += ms;
  stats.set(name, s);
});
const runs = Number(process.env.RUNS ?? 3);
for (let i = 0; i < runs; i++) {
  stats.clear();
  const { ms, digest } = await runProgram(engine, source);
  const kernelMs = [...stats.values()].reduce((a, s) => a + s.ms, 0);
  console.log(
    `run ${i}: ${ms.toFixed(0)} ms, kernels ${kernelMs.toFixed(0)} ms, rest ${(ms - kernelMs).toFixed(0)} ms, digest ${digest}`,
  );
}
const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
console.log("kernel | calls | ms | µs/call");
for (const [name, s] of rows)
  console.log(`${name} | ${s.calls} | ${s.ms.toFixed(1)} | ${((1000 * s.ms) / s.calls).toFixed(0)}`);
