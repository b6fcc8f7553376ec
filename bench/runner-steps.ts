/**
 * Iteration harness for the room's per-step overhead: runs sandbox/scratch/programs/spirals-mlp.js
 * in the runner's engine in this process (no worker), prints the wall time of each run and a
 * digest of every loss's bits (the numbers must not change). `RUNS=n`, `PROGRAM=name`, `STEPS=n`;
 * `KTIME=1` splits the tfjs kernels' time from the rest.
 */
import { createEngine, programSource, runProgram, timeKernels } from "./engine-program.js";

const source = programSource(process.env.PROGRAM ?? "spirals-mlp", process.env.STEPS ?? "300");
const engine = await createEngine();
let kernelMs = 0;
let calls = 0;
if (process.env.KTIME) {
  timeKernels((_, ms) => {
    kernelMs += ms;
    calls++;
  });
}
const runs = Number(process.env.RUNS ?? 5);
const times: number[] = [];
const rest: number[] = [];
for (let i = 0; i < runs; i++) {
  const { ms, lines, digest } = await runProgram(engine, source);
  times.push(ms);
  if (process.env.KTIME) {
    console.log(
      `  kernels ${kernelMs.toFixed(0)} ms in ${calls} calls, the rest ${(ms - kernelMs).toFixed(0)} ms`,
    );
    rest.push(ms - kernelMs);
  }
  kernelMs = 0;
  calls = 0;
  console.log(`run ${i}: ${ms.toFixed(0)} ms, output digest ${digest} (${lines.length} lines)`);
}
times.sort((a, b) => a - b);
rest.sort((a, b) => a - b);
if (rest.length > 0)
  console.log(
    `outside kernels: min ${rest[0]!.toFixed(0)} ms, median ${rest[Math.floor(rest.length / 2)]!.toFixed(0)} ms`,
  );
console.log(`median ${times[Math.floor(times.length / 2)]!.toFixed(0)} ms`);
