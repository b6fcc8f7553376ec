/**
 * A server's garbage collections between two "stats" requests of the bench (a measured window):
 * how many of each kind, and the longest pause, from perf_hooks' "gc" entries (each entry's
 * duration is the main thread's pause, from V8's GC prologue to its epilogue). The hot room's
 * report puts these beside each round's p99, so a round whose p99 sits on a server's own
 * collection (a mark-compact in the window) shows as such (docs/benchmarks.md, "A fifth machine").
 */
import { constants, PerformanceObserver } from "node:perf_hooks";

/** What a window's collections were. */
export interface WindowCollections {
  /** Scavenges (minor collections). */
  scavenges: number;
  /** Mark-compacts (full collections), V8's memory reducer's among them. */
  fullGcs: number;
  /** The longest main-thread pause of any collection, in ms (0 with none). */
  gcLongestMs: number;
  /** All collections' pauses added up, in ms. */
  gcTotalMs: number;
}

/** Counts collections as they are reported, and hands over each window's tally (`take`). */
export class CollectionTally {
  private current: WindowCollections = CollectionTally.empty();

  private static empty(): WindowCollections {
    return { scavenges: 0, fullGcs: 0, gcLongestMs: 0, gcTotalMs: 0 };
  }

  /** One collection: its kind (perf_hooks' `NODE_PERFORMANCE_GC_*`) and its pause in ms. */
  record(kind: number | undefined, pauseMs: number): void {
    const c = this.current;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) c.scavenges++;
    else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) c.fullGcs++;
    c.gcLongestMs = Math.max(c.gcLongestMs, pauseMs);
    c.gcTotalMs += pauseMs;
  }

  /** The collections since the last `take` (or since this tally began), and a fresh start. */
  take(): WindowCollections {
    const taken = this.current;
    this.current = CollectionTally.empty();
    return taken;
  }
}

/**
 * Calls `listener` with each of this process's collections as perf_hooks reports it: its kind
 * (`NODE_PERFORMANCE_GC_*`), its start (ms since `performance.timeOrigin`) and its pause in ms.
 */
export function observeCollections(
  listener: (kind: number | undefined, startMs: number, pauseMs: number) => void,
): void {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      listener(kind, entry.startTime, entry.duration);
    }
  }).observe({ entryTypes: ["gc"] });
}

/** A tally fed by this process's own collections. */
export function tallyCollections(): CollectionTally {
  const tally = new CollectionTally();
  observeCollections((kind, _startMs, pauseMs) => tally.record(kind, pauseMs));
  return tally;
}
