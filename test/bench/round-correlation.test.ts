import { describe, expect, it } from "vitest";
import { correlationLine, rankCorrelation } from "../../bench/round-correlation.js";

describe("a round's p99 against what the machine took", () => {
  it("is 1 when the rounds' p99 rises with the stolen time, whatever the scale, and -1 when it falls", () => {
    const rising = [1, 2, 3, 4, 5].map((i) => ({ value: i * i, against: 10 * i }));
    expect(rankCorrelation(rising).n).toBe(5);
    expect(rankCorrelation(rising).rho).toBeCloseTo(1, 10);
    const falling = rising.map((r) => ({ value: -r.value, against: r.against }));
    expect(rankCorrelation(falling).rho).toBeCloseTo(-1, 10);
  });

  it("skips rounds left out (NaN) and gives NaN under 4 rounds or for a constant series", () => {
    const rounds = [
      { value: 1, against: 0 },
      { value: NaN, against: 5 },
      { value: 2, against: 10 },
      { value: 3, against: NaN },
    ];
    expect(rankCorrelation(rounds)).toEqual({ rho: NaN, n: 2 });
    const still = [1, 2, 3, 4].map((i) => ({ value: i, against: 0 }));
    expect(rankCorrelation(still).rho).toBeNaN();
  });

  it("prints every server's rounds together, then each server's", () => {
    const ours = [1, 2, 3, 4].map((i) => ({ value: i, against: i }));
    const yws = [1, 2, 3, 4].map((i) => ({ value: 5 - i, against: i }));
    const line = correlationLine(
      "p99",
      "the ms stolen",
      new Map([
        ["ours", ours],
        ["yws-equal", yws],
      ]),
    );
    expect(line).toMatch(
      /^p99 against the ms stolen in the same round .*: -?\d\.\d\d over 8 rounds of every server; /,
    );
    expect(line).toContain("Scratchroom 1.00");
    expect(line).toContain("-1.00");
    expect(correlationLine("p99", "the ms stolen", new Map([["ours", ours.slice(0, 3)]]))).toBe("");
  });
});
