/**
 * BENCH_GC_LOG=<file>: every garbage collection of a bench process appended there as a line: the
 * process (a server's name, or "generator" for the load generator), its start (epoch ms, to line
 * up with the generator's `timeOrigin`-based dumps), its pause in ms and its kind (perf_hooks'
 * `NODE_PERFORMANCE_GC_*`: 1 scavenge, 4 mark-compact, 8 incremental marking, 16 weak callbacks).
 * A stall the server and the generator share shows up in both processes' latencies alike.
 */
import { appendFileSync } from "node:fs";
import { observeCollections } from "./window-collections.js";

export function logCollections(who: string, file = process.env.BENCH_GC_LOG): void {
  if (!file) return;
  observeCollections((kind, startMs, pauseMs) => {
    const start = (performance.timeOrigin + startMs).toFixed(2);
    appendFileSync(file, `${who} ${start} ${pauseMs.toFixed(2)} ${kind ?? "?"}\n`);
  });
}
