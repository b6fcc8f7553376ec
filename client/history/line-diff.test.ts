import { describe, expect, it } from "vitest";
import { MAX_DIFF_CELLS, diffCounts, diffHunks, lineDiff, type DiffLine } from "./line-diff.js";

/** The diff as "  same", "- removed", "+ added" lines. */
const show = (diff: DiffLine[]) =>
  diff.map((l) => `${l.kind === "same" ? " " : l.kind === "removed" ? "-" : "+"} ${l.text}`);

describe("lineDiff", () => {
  it("keeps unchanged lines and marks removed and added ones in place", () => {
    const before = "a\nb\nc\nd\ne";
    const after = "a\nB\nc\ne\nf";
    expect(show(lineDiff(before, after))).toEqual(["  a", "- b", "+ B", "  c", "- d", "  e", "+ f"]);
  });
  it("rebuilds both texts from the diff", () => {
    const before = "x = 1\ny = 2\nfor i in range\n  z\nreturn y";
    const after = "x = 1\nfor i in range\n  z\n  w\nreturn x\nreturn y";
    const diff = lineDiff(before, after);
    expect(
      diff
        .filter((l) => l.kind !== "added")
        .map((l) => l.text)
        .join("\n"),
    ).toBe(before);
    expect(
      diff
        .filter((l) => l.kind !== "removed")
        .map((l) => l.text)
        .join("\n"),
    ).toBe(after);
    expect(diffCounts(diff)).toEqual({ removed: 1, added: 2 });
  });
  it("treats an empty text as no lines", () => {
    expect(show(lineDiff("", "a\nb"))).toEqual(["+ a", "+ b"]);
    expect(lineDiff("same", "same")).toEqual([{ kind: "same", text: "same" }]);
  });
  it("replaces a middle too large to compare as a whole", () => {
    const n = Math.ceil(Math.sqrt(MAX_DIFF_CELLS)) + 1;
    const before = Array.from({ length: n }, (_, i) => `a${i}`).join("\n");
    const after = Array.from({ length: n }, (_, i) => (i === 5 ? "kept" : `b${i}`)).join("\n");
    const counts = diffCounts(lineDiff(`top\n${before}`, `top\n${after}`));
    expect(counts).toEqual({ removed: n, added: n });
  });
});

describe("diffHunks", () => {
  it("folds unchanged stretches beyond the context into counts", () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join("\n");
    const after = before.replace("l10", "changed");
    const rows = diffHunks(lineDiff(before, after), 2);
    expect(rows).toEqual([
      { kind: "skip", count: 8 },
      { kind: "same", text: "l8" },
      { kind: "same", text: "l9" },
      { kind: "removed", text: "l10" },
      { kind: "added", text: "changed" },
      { kind: "same", text: "l11" },
      { kind: "same", text: "l12" },
      { kind: "skip", count: 7 },
    ]);
  });
  it("is one skip for an unchanged text", () => {
    expect(diffHunks(lineDiff("a\nb", "a\nb"))).toEqual([{ kind: "skip", count: 2 }]);
  });
});
