import { constants } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { CollectionTally, tallyCollections } from "../../bench/window-collections.js";
import { sleep } from "../../bench/stats.js";

describe("CollectionTally", () => {
  it("counts scavenges and mark-compacts, keeps the longest pause and the sum", () => {
    const tally = new CollectionTally();
    tally.record(constants.NODE_PERFORMANCE_GC_MINOR, 1.5);
    tally.record(constants.NODE_PERFORMANCE_GC_MAJOR, 7.25);
    tally.record(constants.NODE_PERFORMANCE_GC_INCREMENTAL, 3);
    tally.record(constants.NODE_PERFORMANCE_GC_MINOR, 0.5);
    tally.record(undefined, 0.25);
    expect(tally.take()).toEqual({ scavenges: 2, fullGcs: 1, gcLongestMs: 7.25, gcTotalMs: 12.5 });
  });

  it("starts a new window at each take", () => {
    const tally = new CollectionTally();
    tally.record(constants.NODE_PERFORMANCE_GC_MAJOR, 4);
    tally.take();
    expect(tally.take()).toEqual({ scavenges: 0, fullGcs: 0, gcLongestMs: 0, gcTotalMs: 0 });
    tally.record(constants.NODE_PERFORMANCE_GC_MINOR, 2);
    expect(tally.take()).toMatchObject({ scavenges: 1, fullGcs: 0, gcLongestMs: 2 });
  });
});

describe("tallyCollections", () => {
  it("hears this process's own scavenges and a forced mark-compact", async () => {
    const tally = tallyCollections();
    tally.take();
    // Short-lived garbage well past any young generation's size: scavenges.
    let kept: number[][] = [];
    for (let i = 0; i < 400_000; i++) {
      kept.push([i, i + 1, i + 2, i + 3]);
      if (kept.length > 1000) kept = [];
    }
    setFlagsFromString("--expose-gc");
    (runInNewContext("gc") as () => void)();
    // perf_hooks hands "gc" entries to observers after the collection, asynchronously.
    await sleep(50);
    const window = tally.take();
    expect(window.scavenges).toBeGreaterThan(0);
    expect(window.fullGcs).toBeGreaterThanOrEqual(1);
    expect(window.gcLongestMs).toBeGreaterThan(0);
    expect(window.gcTotalMs).toBeGreaterThanOrEqual(window.gcLongestMs);
    expect(kept.length).toBeLessThanOrEqual(1001);
  });
});
