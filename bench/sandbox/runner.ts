/**
 * Runner benchmarks (issue 3): cold worker ready, warm fresh context, empty program end to end.
 *
 * Baseline in the same run: bare quickjs-emscripten (newRuntime + newContext + evalCode of an
 * empty module + dispose) in this process, i.e. what a fresh context costs before the runner adds
 * its bridge, prelude, limits and worker round trip.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSSyncVariant,
} from "quickjs-emscripten-core";
import releaseSync from "@jitl/quickjs-wasmfile-release-sync";
import type { BenchRow } from "../sandbox.js";
import type { NodeRunner, NodeRunnerOptions } from "../../sandbox/runner/node.js";
import { median } from "../stats.js";

const COLD_SAMPLES = 5;
const WARM_SAMPLES = 60;

type CreateNodeRunner = (options?: NodeRunnerOptions) => NodeRunner;

/**
 * A library with nothing in it, as a data: URL (loadable by the plain-JS dist worker too), so the
 * runner's own cold start is measured apart from the library's set-up (tfjs, data).
 */
const EMPTY_LIBRARY = new URL(
  `data:text/javascript,${encodeURIComponent(
    `export const library = { modules: {}, publicModules: [], umbrella: () => "export {};", kernels: {} };`,
  )}`,
);

async function coldStarts(create: CreateNodeRunner, library?: URL): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < COLD_SAMPLES; i++) {
    const runner = create(library ? { poolSize: 1, library } : { poolSize: 1 });
    await runner.ready();
    times.push(runner.coldStarts[0]!);
    await runner.close();
  }
  return times;
}

/** The platform's floor: spawning an empty worker_threads Worker until its first message. */
async function emptyWorkers(): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < COLD_SAMPLES; i++) {
    const t = performance.now();
    const worker = new Worker("require('node:worker_threads').parentPort.postMessage(0)", { eval: true });
    await new Promise((resolve) => worker.once("message", resolve));
    times.push(performance.now() - t);
    await worker.terminate();
  }
  return times;
}

async function bareQuickJS(): Promise<number[]> {
  const require = createRequire(import.meta.url);
  const variant =
    (releaseSync as unknown as { default?: QuickJSSyncVariant }).default ??
    (releaseSync as unknown as QuickJSSyncVariant);
  const wasmModule = await WebAssembly.compile(
    readFileSync(require.resolve("@jitl/quickjs-wasmfile-release-sync/wasm")),
  );
  const qjs = await newQuickJSWASMModuleFromVariant(newVariant(variant, { wasmModule }));
  const times: number[] = [];
  for (let i = 0; i < WARM_SAMPLES; i++) {
    const t = performance.now();
    const rt = qjs.newRuntime();
    const ctx = rt.newContext();
    ctx.evalCode("", "main.js", { type: "module" }).dispose();
    ctx.dispose();
    rt.dispose();
    times.push(performance.now() - t);
  }
  return times;
}

function row(
  name: string,
  values: number[],
  bound: number,
  baseline?: { name: string; values: number[] },
): BenchRow {
  const m = median(values);
  const base = baseline ? median(baseline.values) : undefined;
  return {
    name,
    median: m,
    unit: "ms",
    target: base === undefined ? `≤ ${bound} ms` : `≤ ${bound} ms (${baseline!.name}: ${base.toFixed(2)} ms)`,
    ratio: base === undefined ? null : m / base,
    verdict: m <= bound ? "pass" : "fail",
  };
}

export async function run(): Promise<BenchRow[]> {
  const source = (await import("../../sandbox/runner/node.js")) as { createNodeRunner: CreateNodeRunner };
  const distUrl = new URL("../../dist/sandbox/runner/node.js", import.meta.url);
  const dist = existsSync(distUrl)
    ? ((await import(distUrl.href)) as { createNodeRunner: CreateNodeRunner })
    : undefined;
  if (!dist)
    process.stderr.write("dist/ not built: skipping the production cold start (run `npm run build`)\n");

  const empty = { name: "empty Worker", values: await emptyWorkers() };
  const rows: BenchRow[] = [];
  const runnerOnly = (create: CreateNodeRunner) => coldStarts(create, EMPTY_LIBRARY);
  if (dist)
    rows.push(
      row("cold worker ready, runner only (dist/)", await runnerOnly(dist.createNodeRunner), 150, empty),
    );
  rows.push(
    row(
      "cold worker ready, runner only (sources via tsx, dev)",
      await runnerOnly(source.createNodeRunner),
      150,
      empty,
    ),
  );
  const where = dist ? "dist/" : "sources";
  rows.push(
    row(
      `cold worker ready with scratch, tfjs init (${where})`,
      await coldStarts((dist ?? source).createNodeRunner),
      150,
      empty,
    ),
  );

  const runner = (dist ?? source).createNodeRunner({ poolSize: 1, library: EMPTY_LIBRARY });
  await runner.ready();
  const inWorker: number[] = [];
  const endToEnd: number[] = [];
  for (let i = 0; i < WARM_SAMPLES + 5; i++) {
    const t = performance.now();
    const done = await runner.run({ source: "" }, () => {});
    const total = performance.now() - t;
    if (done.status !== "ok") throw new Error(`empty program failed: ${done.error?.message}`);
    if (i >= 5) {
      inWorker.push(done.durationMs);
      endToEnd.push(total);
    }
  }
  await runner.close();
  const bare = { name: "bare QuickJS context", values: await bareQuickJS() };
  rows.push(
    row("warm worker: fresh context ready (+ empty module, in worker)", inWorker, 5, bare),
    row("empty program end to end, warm (submit → done)", endToEnd, 10),
  );
  return rows;
}
