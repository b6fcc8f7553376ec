/**
 * Child process of memory.test.ts: one runner worker (a thread of this process), a warm-up run,
 * then the hostile programs named on the command line under a 64 MB tensor quota, while the main
 * thread samples the process's RSS every 2 ms. Prints one JSON line per program: its error, the
 * RSS baseline before it, the peak during it and the RSS after it (once its worker settled).
 */
import { createNodeRunner } from "../../../runner/node.js";
import type { DoneEvent } from "../../../runner/runner.js";

export const QUOTA = 64 * 1024 * 1024;

/** Hostile programs by name: each tries to push the process's memory past its tensor quota. */
export const PROGRAMS: Readonly<Record<string, string>> = {
  /** Fill 8 MB tensors and read each back until the quota stops the run. */
  fillAndRead: `const kept = [];
    for (;;) { const t = __host.k("fill", [2 << 20], 1, "float32"); kept.push(t); new Float32Array(__host.k("read", t)); }`,
  /** One tensor just under the quota, then read it back several times. */
  readBig: `const t = __host.k("fill", [15 << 20], 1, "float32");
    for (let i = 0; i < 10; i++) new Float32Array(__host.k("read", t));`,
  /** Temporaries: a broadcast whose result alone is under the quota but whose operands add up. */
  broadcast: `const a = __host.k("fill", [4096, 1], 1, "float32"); const b = __host.k("fill", [1, 4096], 1, "float32");
    for (;;) __host.k("add", a, b);`,
  /** Fragmentation: growing tensors separated by small ones, each freed before the next. */
  fragment: `const pins = [];
    for (let n = 1 << 20; ; n += 1 << 18) { const t = __host.k("fill", [n], 1, "float32"); pins.push(__host.k("fill", [1], 0, "float32")); __host.free(t); }`,
  /** Data copied in from the guest, over and over. */
  data: `const buf = new ArrayBuffer(8 << 20); const kept = [];
    for (;;) kept.push(__host.k("tensor", buf, [2 << 20], "float32"));`,
  /** Not hostile, just big: 320 MB of live tensors under a 512 MB quota; ends ok. */
  big: `const kept = []; for (let i = 0; i < 40; i++) kept.push(__host.k("fill", [2 << 20], i, "float32"));`,
};

const runner = createNodeRunner({ poolSize: 1 });
await runner.ready();
const rss = () => process.memoryUsage().rss;
const settle = () => new Promise((r) => setTimeout(r, 300));

await runner.run(
  { source: `import { tensor } from "scratch"; tensor([1, 2, 3]).add(1).toArray();` },
  () => undefined,
);
for (const name of process.argv.slice(2)) {
  await settle();
  const baseline = rss();
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, rss());
  }, 2);
  const done: DoneEvent = await runner.run(
    {
      source: PROGRAMS[name] ?? "",
      limits: { tensorBytes: name === "big" ? 8 * QUOTA : QUOTA, timeoutMs: 20_000 },
    },
    () => undefined,
  );
  clearInterval(timer);
  peak = Math.max(peak, rss());
  await settle();
  console.log(JSON.stringify({ name, error: done.error ?? null, baseline, peak, after: rss() }));
}
await runner.close();
