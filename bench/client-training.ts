/**
 * The training part of `npm run bench:client`: the spirals MLP and the MNIST CNN programs
 * (sandbox/scratch/programs) in the room's runner in headless Chromium, against
 *
 *   - the same models written directly against tfjs in the same page on the same backend
 *     (bench/client-training/direct.ts), target ratio ≤ 1.2;
 *   - the CLI (the Node runner, tfjs wasm);
 *   - the room without cross-origin isolation (wasm without threads).
 *
 * Every ratio compares runs of the same invocation, alternated, median of REPEATS.
 */
import { createNodeRunner } from "../sandbox/runner/node.js";
import { buildPage, openBuiltPage, type TestPage } from "../support/browser-page.js";
import { median } from "./stats.js";
import type { DeviceInfo } from "../sandbox/events.js";

/** `BENCH_TRAINING_PROGRAMS=spirals` (or `mnist`, comma-separated) runs only those programs. */
const ONLY = process.env.BENCH_TRAINING_PROGRAMS?.split(",").map((s) => s.trim());
const PROGRAMS = (
  [
    { id: "spirals", file: "spirals-mlp", title: "spirals MLP (300 Adam steps)" },
    { id: "mnist", file: "mnist-cnn", title: "MNIST CNN (2 epochs of 4500)" },
  ] as const
).filter((p) => !ONLY || ONLY.includes(p.id));

const REPEATS = Number(process.env.BENCH_TRAINING_REPEATS ?? 2);

type Row = [string, string, string, string];

interface PageTimes {
  room: number;
  direct?: number;
  device?: DeviceInfo;
}

async function timePage(page: TestPage, program: string, withDirect: boolean): Promise<PageTimes> {
  const room: number[] = [];
  const direct: number[] = [];
  let device: DeviceInfo | undefined;
  for (let i = 0; i < REPEATS; i++) {
    const r = await page.page.evaluate(
      (p) =>
        (
          globalThis as unknown as { roomRun: (p: string) => Promise<{ ms: number; device?: DeviceInfo }> }
        ).roomRun(p),
      program,
    );
    room.push(r.ms);
    device = r.device;
    if (withDirect) {
      const d = await page.page.evaluate(
        (p) => (globalThis as unknown as { directRun: (p: string) => Promise<{ ms: number }> }).directRun(p),
        program,
      );
      direct.push(d.ms);
    }
  }
  return {
    room: median(room),
    ...(withDirect ? { direct: median(direct) } : {}),
    ...(device ? { device } : {}),
  };
}

async function cliTimes(file: string): Promise<number> {
  const { readFileSync } = await import("node:fs");
  const source = readFileSync(new URL(`../sandbox/scratch/programs/${file}.js`, import.meta.url), "utf8");
  const runner = createNodeRunner({ poolSize: 1 });
  try {
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const done = await runner.run({ source, limits: { timeoutMs: 600_000 } }, () => undefined);
      if (done.status !== "ok") throw new Error(`CLI ${file}: ${done.error?.message}`);
      times.push(done.durationMs);
    }
    return median(times);
  } finally {
    await runner.close();
  }
}

const ms = (n: number) => `${n.toFixed(0)} ms`;
const describe = (d: DeviceInfo | undefined) =>
  d ? `${d.backend}, ${d.threads} thread${d.threads === 1 ? "" : "s"}${d.simd ? ", SIMD" : ""}` : "?";

export async function trainingRows(): Promise<Row[]> {
  const built = await buildPage(new URL("./client-training/", import.meta.url).pathname);
  const rows: Row[] = [];
  try {
    const isolated = await openBuiltPage(built, { isolated: true });
    const on = new Map<string, PageTimes>();
    try {
      for (const p of PROGRAMS) on.set(p.id, await timePage(isolated, p.id, true));
    } finally {
      await isolated.close();
    }
    const plain = await openBuiltPage(built, {});
    const off = new Map<string, PageTimes>();
    try {
      for (const p of PROGRAMS) off.set(p.id, await timePage(plain, p.id, false));
    } finally {
      await plain.close();
    }
    for (const p of PROGRAMS) {
      const t = on.get(p.id)!;
      const cli = await cliTimes(p.file);
      rows.push([
        `${p.title}: room vs direct tfjs, same page (${describe(t.device)})`,
        ms(t.room),
        `direct ${ms(t.direct!)}`,
        `${(t.room / t.direct!).toFixed(2)} (target ≤ 1.2)`,
      ]);
      rows.push([
        `${p.title}: room vs CLI (Node wasm)`,
        ms(t.room),
        `CLI ${ms(cli)}`,
        `${(t.room / cli).toFixed(2)}`,
      ]);
      const o = off.get(p.id)!;
      rows.push([
        `${p.title}: room, threads on vs off (${describe(o.device)})`,
        ms(t.room),
        `off ${ms(o.room)}`,
        `${(t.room / o.room).toFixed(2)}`,
      ]);
    }
  } finally {
    await built.remove();
  }
  return rows;
}
