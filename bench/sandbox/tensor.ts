/**
 * Benchmark of the `scratch` tensor core (issue 4), ratios measured in one run against tfjs used
 * directly in Node (wasm backend):
 * - overhead of one bridged op over a direct tf.add: target ≤ 30 µs (and of freeing its result,
 *   reported on its own row);
 * - one epoch of a 784-128-10 MLP on 10,000 MNIST digits (batch 64, Adam): ratio ≤ 1.5;
 * - a 1024×1024 matmul: ratio ≤ 1.1;
 * - the MNIST CNN reference program end to end within the curriculum's 60 s budget.
 *
 * Guest programs run inside the sandbox runner (`createNodeRunner`, a warm worker); with
 * SCRATCH_BENCH_DIRECT=1 they run in-process through the direct host instead (the library without
 * the QuickJS bridge). The row names say which.
 */
import { initNodeBackend } from "../../sandbox/scratch/kernels/backend-node.js";
import { programSource } from "../../sandbox/scratch/programs/cases.js";
import { runDirect, type MetricPoint } from "./direct-executor.js";
import { createRunnerExecutor } from "./runner-executor.js";
import { directMatmulMs, directMlpEpochMs, directOpOverheadMs } from "./tensor-direct.js";
import { matmulProgram, mlpEpochProgram, opOverheadProgram } from "./tensor-programs.js";
import { median } from "../stats.js";
import type { BenchRow } from "../sandbox.js";

export type Executor = { name: string; run(source: string): Promise<MetricPoint[]> };

const series = (points: MetricPoint[], name: string) =>
  points.filter((p) => p.name === name).map((p) => p.value);

/** The runner when it is on this branch, else the in-process direct host. */
async function defaultExecutor(): Promise<Executor & { close?(): Promise<void> }> {
  return (
    (await createRunnerExecutor()) ?? {
      name: "direct host, no sandbox runner on this branch",
      run: runDirect,
    }
  );
}

export async function run(executor?: Executor): Promise<BenchRow[]> {
  await initNodeBackend("wasm");
  const owned = executor === undefined ? await defaultExecutor() : undefined;
  const exec = executor ?? owned!;
  try {
    return await measure(exec);
  } finally {
    await owned?.close?.();
  }
}

async function measure(exec: Executor): Promise<BenchRow[]> {
  const where = `(${exec.name})`;
  const rows: BenchRow[] = [];

  const ops = 5000;
  const sandbox = { op: [] as number[], free: [] as number[] };
  const direct = { op: [] as number[], free: [] as number[] };
  for (let r = 0; r < 5; r++) {
    const points = await exec.run(opOverheadProgram(ops));
    sandbox.op.push(...series(points, "op"));
    sandbox.free.push(...series(points, "free"));
    const d = directOpOverheadMs(ops);
    direct.op.push(d.op);
    direct.free.push(d.free);
  }
  for (const [part, label] of [
    ["op", "one bridged op (x.add(y))"],
    ["free", "one bridged free (x.dispose())"],
  ] as const) {
    const perSandbox = (median(sandbox[part]) * 1000) / ops;
    const perDirect = (median(direct[part]) * 1000) / ops;
    const overhead = perSandbox - perDirect;
    rows.push({
      name: `${label}: overhead over direct tfjs ${where}`,
      median: overhead,
      unit: "µs",
      target: `≤ 30 µs (direct ${perDirect.toFixed(1)} µs)`,
      ratio: perSandbox / perDirect,
      verdict: overhead <= 30 ? "pass" : "fail",
    });
  }

  const sandboxEpochs: number[] = [];
  const directEpochs: number[] = [];
  for (let r = 0; r < 3; r++) {
    sandboxEpochs.push(...series(await exec.run(mlpEpochProgram(10_000, 1)), "ms"));
    directEpochs.push(...directMlpEpochMs(10_000, 1));
  }
  const epochRatio = median(sandboxEpochs) / median(directEpochs);
  rows.push({
    name: `MLP 784-128-10 epoch, 10k MNIST, batch 64, Adam ${where} vs tfjs+tf.grad`,
    median: median(sandboxEpochs),
    unit: "ms",
    target: `ratio ≤ 1.5 (direct ${median(directEpochs).toFixed(0)} ms)`,
    ratio: epochRatio,
    verdict: epochRatio <= 1.5 ? "pass" : "fail",
  });

  // Interleaved so both sides see the same machine load (this host is shared).
  const sandboxMatmul: number[] = [];
  const directMatmul: number[] = [];
  for (let r = 0; r < 5; r++) {
    sandboxMatmul.push(...series(await exec.run(matmulProgram(2)), "ms"));
    directMatmul.push(...directMatmulMs(2));
  }
  const matmulRatio = median(sandboxMatmul) / median(directMatmul);
  rows.push({
    name: `matmul 1024×1024 ${where} vs direct tfjs wasm`,
    median: median(sandboxMatmul),
    unit: "ms",
    target: `ratio ≤ 1.1 (direct ${median(directMatmul).toFixed(1)} ms)`,
    ratio: matmulRatio,
    verdict: matmulRatio <= 1.1 ? "pass" : "fail",
  });
  // The curriculum's compute budget: a reference solution finishes within 60 s on this machine.
  const cnnSource = programSource("mnist-cnn");
  const t0 = performance.now();
  await exec.run(cnnSource);
  const cnnSeconds = (performance.now() - t0) / 1000;
  rows.push({
    name: `MNIST CNN program (programs/mnist-cnn.js), end to end ${where}`,
    median: cnnSeconds,
    unit: "s",
    target: "≤ 60 s",
    ratio: null,
    verdict: cnnSeconds <= 60 ? "pass" : "fail",
  });
  return rows;
}
