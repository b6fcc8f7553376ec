import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyDelta, deltaToStore, textDelta } from "./history.js";

describe("history deltas", () => {
  it("rebuild the text they were made from, whatever the texts", () => {
    const piece = fc.constantFrom("a", "b", " ", "😀", "\uD800");
    const line = fc
      .tuple(fc.array(piece, { maxLength: 6 }), fc.boolean())
      .map(([pieces, newline]) => pieces.join("") + (newline ? "\n" : ""));
    const text = fc.array(line, { maxLength: 12 }).map((lines) => lines.join(""));
    fc.assert(
      fc.property(text, text, (before, after) => {
        expect(applyDelta(before, textDelta(before, after))).toBe(after);
      }),
      { numRuns: 500 },
    );
  });

  it("cost the changed lines, not the lines between two far-apart edits", () => {
    const lines = Array.from({ length: 150 }, (_, i) => `  const value${i} = compute(${i}) * 2;\n`);
    const before = lines.join("");
    const after = ["// top\n", ...lines.slice(0, 149), "  const changed = 1;\n"].join("");
    const delta = textDelta(before, after);
    expect(applyDelta(before, delta)).toBe(after);
    expect(JSON.stringify(delta).length).toBeLessThan(100);
  });

  it("store nothing for an unchanged text unless a run is linked, and a storable text always", () => {
    expect(deltaToStore("same", "same", null)).toBeNull();
    expect(deltaToStore("same", "same", 3)).toEqual([4]);
    expect(applyDelta("", deltaToStore("", "a\u0000b", null)!)).toBe("a\uFFFDb");
  });

  it("replace a huge rewrite's changed middle as one, keeping the shared first and last lines", () => {
    const numbered = (tag: string) => Array.from({ length: 30_000 }, (_, i) => `${tag} ${i}\n`).join("");
    const before = `head\n${numbered("old")}tail\n`;
    const after = `head\n${numbered("new")}tail\n`;
    const delta = textDelta(before, after);
    expect(delta).toEqual([5, -(before.length - 10), after.slice(5, -5), 5]);
    expect(applyDelta(before, delta)).toBe(after);
    // More distinct lines than one UTF-16 unit can number.
    const lines = Array.from({ length: 70_000 }, (_, i) => `${i}\n`);
    const many = lines.join("");
    const edited = [...lines.slice(0, 35_000), "changed\n", ...lines.slice(35_001)].join("");
    const small = textDelta(many, edited);
    expect(applyDelta(many, small)).toBe(edited);
    expect(small).toContain("changed\n");
  });
});
