import { describe, expect, it } from "vitest";
import { coreSteal, parseCoreSteal, stolenBetween } from "../../bench/core-steal.js";

// A real /proc/stat head (2 vCPUs, a KVM guest), cut after the per-core lines.
const SAMPLE = `cpu  40407 0 11480 171173 1614 0 1443 460 0 0
cpu0 25420 0 5445 81270 148 0 633 222 0 0
cpu1 14986 0 6034 89902 1466 0 809 237 0 0
intr 12345 0 9 0
ctxt 987654
`;

describe("core steal", () => {
  it("reads the 8th number of each cpuN line, in ms, and skips the total", () => {
    expect(parseCoreSteal(SAMPLE)).toEqual([2220, 2370]);
  });

  it("counts 0 for a kernel whose lines stop before steal, and keeps core numbers as indexes", () => {
    expect(parseCoreSteal("cpu  1 2 3 4\ncpu3 1 2 3 4 5 6 7\n")[3]).toBe(0);
    expect(parseCoreSteal("cpu3 1 2 3 4 5 6 7 9\n")).toHaveLength(4);
  });

  it("gives the difference of two readings, NaN where a reading lacks the core", () => {
    expect(stolenBetween([10, 20], [30, 50], 1)).toBe(30);
    expect(stolenBetween(null, [30, 50], 0)).toBeNaN();
    expect(stolenBetween([10], [30], 1)).toBeNaN();
  });

  it("reads this machine's /proc/stat on Linux", () => {
    const steal = coreSteal();
    if (process.platform !== "linux") return expect(steal).toBeNull();
    expect(steal!.length).toBeGreaterThan(0);
    for (const ms of steal!) expect(ms).toBeGreaterThanOrEqual(0);
  });
});
