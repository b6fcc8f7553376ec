import { describe, expect, it } from "vitest";
import { csvDocument, csvField } from "./csv.js";

describe("csvField", () => {
  it("quotes text and doubles its quotes, keeps numbers and booleans bare", () => {
    expect(csvField('Bob "the, builder"\nJr')).toBe('"Bob ""the, builder""\nJr"');
    expect(csvField(3)).toBe("3");
    expect(csvField(-1.5)).toBe("-1.5");
    expect(csvField(Number.NaN)).toBe("");
    expect(csvField(true)).toBe("true");
    expect(csvField(null)).toBe("");
  });

  it("neutralises text a spreadsheet would run as a formula", () => {
    for (const evil of ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]) {
      expect(csvField(evil)).toBe(`"'${evil}"`);
    }
    expect(csvField("Ada = 1")).toBe('"Ada = 1"');
  });

  it("ends every row with CRLF", () => {
    expect(csvDocument(["a", "b"], [["x", 1]])).toBe('"a","b"\r\n"x",1\r\n');
  });
});
