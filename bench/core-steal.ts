/**
 * Time the hypervisor gave a core's vCPU to something else while the vCPU had work ("steal" in
 * /proc/stat), per core, in ms. The bench reads it at the start and end of each measured window, on
 * the server's core and the generator's (bench/sync-harness.ts, `SERVER_CORE`, `GENERATOR_CORE`): a
 * round whose p99 rests on its few worst moments (the 50-client hot room) can then be read against
 * what the machine took away during that very round, not only against the stall probe run before
 * the rounds (bench/machine-stalls.ts).
 */
import { readFileSync } from "node:fs";

/** Linux reports /proc/stat in USER_HZ ticks, 100 a second on every architecture Node runs on. */
const MS_PER_TICK = 10;

/**
 * Each core's steal (ms) in a /proc/stat text, indexed by core number; a core the text does not
 * list is absent. The 8th number of a `cpuN` line is steal (proc(5)); kernels before 2.6.11 had
 * none, and such a line counts 0.
 */
export function parseCoreSteal(procStat: string): number[] {
  const steal: number[] = [];
  for (const line of procStat.split("\n")) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const fields = m[2]!.trim().split(/\s+/).map(Number);
    steal[Number(m[1])] = (fields[7] ?? 0) * MS_PER_TICK;
  }
  return steal;
}

/** Each core's steal so far (ms), or null where /proc/stat cannot be read (not Linux). */
export function coreSteal(): number[] | null {
  try {
    return parseCoreSteal(readFileSync("/proc/stat", "utf8"));
  } catch {
    return null;
  }
}

/** The steal of `core` between two readings (ms); NaN when either reading lacks it. */
export function stolenBetween(before: number[] | null, after: number[] | null, core: number): number {
  const a = before?.[core];
  const b = after?.[core];
  return a === undefined || b === undefined ? NaN : b - a;
}
