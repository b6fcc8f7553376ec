/**
 * The bench's machine-stall probe (bench/machine-stalls.ts) counts the times its busy loop lost its
 * core: a loop stopped from outside for 100 ms must report that gap, and the summary its thresholds.
 */
import { describe, expect, it } from "vitest";
import { describeStalls, runLoop, summarizeGaps } from "../../bench/machine-stalls.js";
import { sleep } from "../../bench/stats.js";

describe("the machine-stall probe", () => {
  it("records the time its loop was stopped as one gap", async () => {
    const { child, started, gaps } = runLoop(1.5, null);
    // Stopped once its loop runs: a loaded machine can take longer than that to start a process.
    await started;
    await sleep(300);
    child.kill("SIGSTOP");
    await sleep(100);
    child.kill("SIGCONT");
    const recorded = await gaps;
    const stall = recorded.filter((g) => g >= 80);
    expect(stall).toHaveLength(1);
    expect(stall[0]).toBeLessThan(1000);
    const summary = summarizeGaps(null, 1.5, recorded);
    expect(summary.maxMs).toBe(stall[0]);
    expect(summary.over5Ms).toBeGreaterThanOrEqual(1);
    expect(summary.lostPct).toBeGreaterThan((80 / 1500) * 100);
  }, 20_000);

  it("counts gaps over 1, 2 and 5 ms and the share of the probe they took", () => {
    const s = summarizeGaps(0, 2, [0.8, 1.5, 2.5, 6, 10]);
    expect(s).toMatchObject({ core: 0, seconds: 2, over1Ms: 4, over2Ms: 3, over5Ms: 2, maxMs: 10 });
    expect(s.lostPct).toBeCloseTo(1.04, 6);
    expect(describeStalls([s, summarizeGaps(1, 2, [])])).toBe(
      "machine stalls before the runs (a busy loop per core, 2 s, bench/machine-stalls.ts): " +
        "core 0: 3 over 2 ms (2 over 5 ms), longest 10.0 ms, 1.04 % lost; " +
        "core 1: 0 over 2 ms (0 over 5 ms), longest 0.0 ms, 0.00 % lost",
    );
  });
});
