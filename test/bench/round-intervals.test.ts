/**
 * The intervals under the hot room's table (bench/round-intervals.ts): a paired bootstrap over
 * rounds of a ratio of medians, and the pooling of several reports' "per round" lines.
 */
import { describe, expect, it } from "vitest";
import {
  finiteMedian,
  intervalLine,
  LEFT_OUT_MARK,
  pairedRatioInterval,
  perRoundLine,
  poolPerRoundLines,
  seededRandom,
} from "../../bench/round-intervals.js";
import { equalWork, type Which } from "../../bench/sync-harness.js";

describe("seededRandom", () => {
  it("gives the same sequence for a seed, another for another seed, within [0, 1)", () => {
    const draw = (seed: number) => Array.from({ length: 1000 }, seededRandom(seed));
    const a = draw(1);
    expect(draw(1)).toEqual(a);
    expect(draw(2)).not.toEqual(a);
    for (const x of a) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    // Roughly uniform: each tenth of [0, 1) gets 5–15% of the draws.
    for (let d = 0; d < 10; d++) {
      const share = a.filter((x) => Math.floor(x * 10) === d).length / a.length;
      expect(share).toBeGreaterThan(0.05);
      expect(share).toBeLessThan(0.15);
    }
  });
});

describe("pairedRatioInterval", () => {
  it("is exact when every round's ratio is the same, however much the rounds vary (paired)", () => {
    // A machine whose rounds swing by 3×: the numerator is 0.8 of the denominator in each one.
    const slowness = [1, 3, 1.5, 2.2, 1.1, 2.9, 1.3];
    const denominator = slowness.map((s) => 5 * s);
    const numerator = denominator.map((v) => 0.8 * v);
    const r = pairedRatioInterval(numerator, [denominator]);
    expect(r.ratio).toBeCloseTo(0.8, 10);
    expect(r.low).toBeCloseTo(0.8, 10);
    expect(r.high).toBeCloseTo(0.8, 10);
    expect(r.rounds).toBe(7);
  });

  it("excludes 1 for a clear difference and includes the ratio of the medians", () => {
    const random = seededRandom(7);
    const denominator = Array.from({ length: 15 }, () => 4 + random());
    const numerator = Array.from({ length: 15 }, () => 8 + random());
    const r = pairedRatioInterval(numerator, [denominator]);
    expect(r.ratio).toBeCloseTo(finiteMedian(numerator) / finiteMedian(denominator), 10);
    expect(r.low).toBeLessThanOrEqual(r.ratio);
    expect(r.high).toBeGreaterThanOrEqual(r.ratio);
    expect(r.low).toBeGreaterThan(1.5);
    expect(r.high).toBeLessThan(2.5);
  });

  it("is wide for noise: equal servers whose rounds disagree get an interval around 1", () => {
    const a = [4, 9, 5, 6, 3.5];
    const b = [6, 4, 7, 3, 8];
    const r = pairedRatioInterval(a, [b]);
    expect(r.low).toBeLessThan(1);
    expect(r.high).toBeGreaterThan(1);
    expect(r.high - r.low).toBeGreaterThan(0.3);
  });

  it("divides by the better (smaller) denominator's median", () => {
    const r = pairedRatioInterval(
      [2, 2, 2],
      [
        [4, 4, 4],
        [1, 1, 1],
      ],
    );
    expect(r.ratio).toBe(2);
    expect([r.low, r.high]).toEqual([2, 2]);
  });

  it("leaves out rounds marked NaN (flagged), in the ratio and in every resample", () => {
    const r = pairedRatioInterval([1, NaN, 1], [[2, 100, 2]]);
    // The flagged round counts for the denominator only (its own round is not flagged).
    expect(r.ratio).toBe(0.5);
    const s = pairedRatioInterval([1, NaN, 1], [[2, NaN, 2]]);
    expect([s.ratio, s.low, s.high]).toEqual([0.5, 0.5, 0.5]);
  });

  it("refuses denominators of another length", () => {
    expect(() => pairedRatioInterval([1, 2], [[1]])).toThrow(/1 rounds against 2/);
    expect(() => pairedRatioInterval([1, 2], [])).toThrow(/no denominator/);
  });
});

describe("intervalLine", () => {
  it("states ours and the floor over the better equal-work baseline, and ours over before", () => {
    const values = new Map([
      ["ours", [4, 4, 4]],
      ["before", [5, 5, 5]],
      ["yws-equal", [5, 5, 5]],
      ["hocuspocus-equal", [8, 8, 8]],
      ["floor", [3, 3, 3]],
    ] as const);
    const line = intervalLine("p99", new Map([...values].map(([w, v]) => [w, [...v]])), equalWork, {
      resamples: 100,
    });
    expect(line).toContain("paired bootstrap over the 3 rounds, 100 resamples");
    expect(line).toContain("ours / better equal-work baseline 0.80 (0.80–0.80)");
    expect(line).toContain("floor / better equal-work baseline 0.60 (0.60–0.60)");
    expect(line).toContain("ours / before 0.80 (0.80–0.80)");
  });

  it("is empty with nothing to compare ours with", () => {
    expect(intervalLine("p99", new Map([["ours", [1, 2]]]), equalWork)).toBe("");
    expect(intervalLine("p99", new Map([["yws-equal", [1, 2]]]), equalWork)).toBe("");
  });
});

describe("poolPerRoundLines", () => {
  // Written as bench/sync.ts writes them; "6.2*" is a round left out of the median.
  const line = (values: [Which, string][]) =>
    perRoundLine(
      "p99",
      "ms",
      new Map(
        values.map(([which, v]) => [
          which,
          v.split(", ").map((value) => ({
            value: value.replace(LEFT_OUT_MARK, ""),
            leftOut: value.endsWith(LEFT_OUT_MARK),
          })),
        ]),
      ),
    );
  const report = (heading: string, lineText: string) =>
    [`#### ${heading}`, "", "| table |", "", lineText, "", "framesPerS per round (frames/s): x"].join("\n");

  it("appends every report's rounds by heading, flagged ones as NaN, absent servers padded", () => {
    const hot = "Hot room: 50 clients, 5 writers × 10 keystrokes/s, 10 s";
    const first = report(
      hot,
      line([
        ["ours", "5.1, 6.2*"],
        ["yws-equal", "5.5, 6.0"],
      ]),
    );
    const second = [
      report(
        hot,
        line([
          ["ours", "4.0"],
          ["yws-equal", "4.4"],
          ["floor", "3.9"],
        ]),
      ),
      report(`${hot} (jittered)`, line([["ours", "3.7"]])),
    ].join("\n");
    const pooled = poolPerRoundLines([first, second], "p99");
    expect([...pooled.keys()]).toEqual([hot, `${hot} (jittered)`]);
    const rounds = pooled.get(hot)!;
    expect(rounds.get("ours")).toEqual([5.1, NaN, 4.0]);
    expect(rounds.get("yws-equal")).toEqual([5.5, 6.0, 4.4]);
    expect(rounds.get("floor")).toEqual([NaN, NaN, 3.9]);
    expect(pooled.get(`${hot} (jittered)`)!.get("ours")).toEqual([3.7]);
    expect(poolPerRoundLines([first], "p50").size).toBe(0);
  });

  it("names a server it does not know", () => {
    const unknown = "p99 per round (ms, in round order): Some server: 1.0.";
    expect(() => poolPerRoundLines([report("x", unknown)], "p99")).toThrow(/unknown server .*Some server/);
  });
});
