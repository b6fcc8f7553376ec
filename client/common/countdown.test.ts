import { describe, expect, it } from "vitest";
import { formatCountdown } from "./countdown.js";

describe("formatCountdown", () => {
  it("formats the time left, rounding up, and stops at zero", () => {
    expect(formatCountdown(10_000 + 245_000, 10_000)).toBe("4:05");
    expect(formatCountdown(0, 10_000)).toBe("0:00");
    expect(formatCountdown(1_500, 0)).toBe("0:02");
  });
});
