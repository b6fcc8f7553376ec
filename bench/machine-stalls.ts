/**
 * How often this machine takes a core away on its own, measured before a bench's runs: a busy loop
 * pinned to each core reads the clock and records every gap over `GAP_MS` (a time the loop did not
 * run: the hypervisor running something else on the core's vCPU, or the kernel's own work), while
 * nothing of the bench runs.
 *
 * Why the bench reports it: a latency p99 that rests on a round's few worst moments (the 50-client
 * hot room's p99 is its worst timer tick or two: one tick is 1 % of its deliveries) is set by such
 * stalls wherever they hit the server's or the generator's core, at every server alike, and then
 * says little about the servers (docs/benchmarks.md, "Where the 50-client room's worst ticks come
 * from"). A run on a machine that stalls often reads "at parity" whatever the servers do.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { taskset } from "./sync-harness.js";

/** Gaps shorter than this are the loop's own jitter (a clock read, a timer interrupt). */
export const GAP_MS = 0.5;

/** One core's stalls over the probe. */
export interface CoreStalls {
  /** The core the loop was pinned to, or null when it ran unpinned (no taskset). */
  core: number | null;
  seconds: number;
  over1Ms: number;
  over2Ms: number;
  over5Ms: number;
  maxMs: number;
  /** Share of the probe the loop lost to gaps over `GAP_MS`, in %. */
  lostPct: number;
}

/** The figures of one core's gaps (each over `GAP_MS`, in ms) over a probe of `seconds`. */
export function summarizeGaps(core: number | null, seconds: number, gaps: readonly number[]): CoreStalls {
  return {
    core,
    seconds,
    over1Ms: gaps.filter((g) => g > 1).length,
    over2Ms: gaps.filter((g) => g > 2).length,
    over5Ms: gaps.filter((g) => g > 5).length,
    maxMs: gaps.reduce((a, g) => Math.max(a, g), 0),
    lostPct: (gaps.reduce((a, g) => a + g, 0) / (seconds * 1000)) * 100,
  };
}

/**
 * The busy loop, run with `node -e`: prints "started" as its loop begins (pipes are written
 * synchronously on Linux), then its gaps as JSON. argv[1]: seconds.
 */
const STARTED = "started\n";
const LOOP = `
process.stdout.write(${JSON.stringify(STARTED)});
const end = performance.now() + Number(process.argv[1]) * 1000;
const gaps = [];
let last = performance.now();
for (;;) {
  const now = performance.now();
  if (now - last > ${GAP_MS}) gaps.push(now - last);
  last = now;
  if (now > end) break;
}
process.stdout.write(JSON.stringify(gaps));
`;

/**
 * Runs the busy loop for `seconds` (pinned to `core` when given): the child, when its loop began
 * (`started`; a loaded machine can take hundreds of ms to start a process), and its gaps.
 */
export function runLoop(
  seconds: number,
  core: number | null,
): { child: ChildProcess; started: Promise<void>; gaps: Promise<number[]> } {
  const node = [process.execPath, "-e", LOOP, String(seconds)];
  const argv = core !== null && taskset ? [taskset, "-c", String(core), ...node] : node;
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  const started = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (!out.startsWith(STARTED)) return;
      child.stdout!.off("data", check);
      resolve();
    };
    child.stdout!.on("data", check);
    child.once("exit", () => reject(new Error("stall probe exited before its loop began")));
  });
  started.catch(() => undefined);
  const gaps = new Promise<number[]>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 && out.startsWith(STARTED)
        ? resolve(JSON.parse(out.slice(STARTED.length)) as number[])
        : reject(new Error(`stall probe exited (${code})`)),
    );
  });
  return { child, started, gaps };
}

/** Every core's stalls over `seconds`, all cores at once (cores 0 and 1 with taskset, else one loop). */
export async function probeMachineStalls(seconds: number): Promise<CoreStalls[]> {
  const cores = taskset ? [0, 1] : [null];
  return Promise.all(
    cores.map(async (core) => summarizeGaps(core, seconds, await runLoop(seconds, core).gaps)),
  );
}

/** One line for a report's header: "core 0: 13 over 2 ms (1 over 5 ms), longest 5.3 ms, 0.62 % lost; …". */
export function describeStalls(stalls: readonly CoreStalls[]): string {
  const seconds = stalls[0]?.seconds ?? 0;
  const cores = stalls
    .map(
      (s) =>
        `${s.core === null ? "unpinned" : `core ${s.core}`}: ${s.over2Ms} over 2 ms (${s.over5Ms} over 5 ms), longest ${s.maxMs.toFixed(1)} ms, ${s.lostPct.toFixed(2)} % lost`,
    )
    .join("; ");
  return `machine stalls before the runs (a busy loop per core, ${seconds} s, bench/machine-stalls.ts): ${cores}`;
}
