/**
 * The largest-hot-room search's strategy (bench/sync-hot-room.ts `searchLargest`), against a fake
 * server of known capacity and a fake generator of known ceiling: where it doubles, where it
 * bisects, and that an inconclusive step bounds the search without counting as the server's fail.
 */
import { describe, expect, it } from "vitest";
import { searchLargest, type Verdict } from "../../bench/sync-hot-room.js";

/** A server that passes up to `capacity` clients, on a generator that gives out at `ceiling`. */
function machine(capacity: number, ceiling = Infinity) {
  const tried: number[] = [];
  const attempt = async (clients: number): Promise<Verdict> => {
    tried.push(clients);
    if (clients >= ceiling) return "inconclusive";
    return clients <= capacity ? "pass" : "fail";
  };
  return { tried, attempt };
}

const options = { start: 50, cap: 1600, resolution: 10 };

describe("searchLargest", () => {
  it("doubles to the first fail, then bisects to the resolution", async () => {
    const { tried, attempt } = machine(390);
    const result = await searchLargest(options, attempt);
    expect(result).toEqual({ largestPass: 390, smallestFail: 400, ceiling: null, stoppedBy: "bisected" });
    expect(tried.slice(0, 5)).toEqual([50, 100, 200, 400, 300]);
  });

  it("bisects below an inconclusive step instead of stopping there, and reports it as the ceiling", async () => {
    const { tried, attempt } = machine(10_000, 700);
    const result = await searchLargest(options, attempt);
    expect(result).toEqual({ largestPass: 690, smallestFail: null, ceiling: 700, stoppedBy: "ceiling" });
    expect(tried.slice(0, 5)).toEqual([50, 100, 200, 400, 800]);
    expect(tried).not.toContain(1600);
  });

  it("tells a server's fail below the ceiling from the ceiling", async () => {
    const { attempt } = machine(550, 700);
    expect(await searchLargest(options, attempt)).toEqual({
      largestPass: 550,
      smallestFail: 560,
      ceiling: 800,
      stoppedBy: "bisected",
    });
  });

  it("stops at the cap when every step passes", async () => {
    const { tried, attempt } = machine(10_000);
    expect(await searchLargest(options, attempt)).toEqual({
      largestPass: 1600,
      smallestFail: null,
      ceiling: null,
      stoppedBy: "cap",
    });
    expect(tried).toEqual([50, 100, 200, 400, 800, 1600]);
  });

  it("bisects below the start when the first step already fails", async () => {
    expect(await searchLargest(options, machine(20).attempt)).toMatchObject({
      largestPass: 20,
      smallestFail: 30,
    });
    expect(await searchLargest(options, machine(5).attempt)).toEqual({
      largestPass: 0,
      smallestFail: 10,
      ceiling: null,
      stoppedBy: "bisected",
    });
  });
});
