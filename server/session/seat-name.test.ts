import { describe, expect, it } from "vitest";
import { MAX_NAME_LENGTH } from "../../contract/api.js";
import { seatName } from "./seat-name.js";

describe("seatName", () => {
  it("keeps a free name as typed", () => {
    expect(seatName("Ada", ["Bob"])).toBe("Ada");
  });
  it("suffixes a taken name with the first free number, comparing as the pair plan does", () => {
    expect(seatName("Ada", ["ada"])).toBe("Ada (2)");
    expect(seatName("ada  ", ["Ada", "Ada (2)"])).toBe("ada (3)");
    expect(seatName("Ada", ["Ada", "ADA (3)"])).toBe("Ada (2)");
  });
  it("stays within the name limit, cutting whole characters", () => {
    const long = "é".repeat(MAX_NAME_LENGTH);
    const name = seatName(long, [long]);
    expect([...name].length).toBe(MAX_NAME_LENGTH);
    expect(name.endsWith(" (2)")).toBe(true);
    expect(name.startsWith("é".repeat(56))).toBe(true);
    // An emoji is two code units: the cut never splits one.
    const emoji = "😀".repeat(30);
    const cut = seatName(emoji, [emoji]);
    expect(cut).toBe(`${"😀".repeat(28)} (2)`);
    expect(cut.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
  });
});
