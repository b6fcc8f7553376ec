import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyDelta,
  type ChainRow,
  compressText,
  decompressText,
  type FileHead,
  headOfChain,
  KEYFRAME_EVERY,
  nextRow,
  textDelta,
  textOfChain,
} from "./history.js";
import { FileHeads } from "./history-heads.js";
import type { NewSnapshot } from "./types.js";

const snapshot = (text: string, runId: number | null = null): NewSnapshot => ({
  sessionId: "s",
  workspaceId: "w",
  file: "t",
  at: 0,
  runId,
  text,
});

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
    const head: FileHead = { id: 1, text: "same", sinceKeyframe: 0 };
    expect(nextRow(head, snapshot("same"))).toBeNull();
    expect(nextRow(null, snapshot(""))).toBeNull();
    expect(nextRow(head, snapshot("same", 3))?.row).toMatchObject({
      delta: "[4]",
      keyframe: null,
      run_id: 3,
    });
    const first = nextRow(null, snapshot("a\u0000b"))!;
    expect(textOfChain([{ id: 1, ...first.row }])).toBe("a\uFFFDb");
    expect(first.headAt(1)).toEqual({ id: 1, text: "a\uFFFDb", sinceKeyframe: 0 });
  });

  it("make every KEYFRAME_EVERYth version a keyframe, so any version is rebuilt from a bounded chain", () => {
    const rows: ChainRow[] = [];
    const texts: string[] = [];
    let head: FileHead | null = null;
    for (let v = 1; v <= 3 * KEYFRAME_EVERY + 5; v++) {
      const text = Array.from(
        { length: 20 + (v % 7) },
        (_, i) => `line ${i} of ${i % 3 === 0 ? v : 0}\n`,
      ).join("");
      const next: NonNullable<ReturnType<typeof nextRow>> = nextRow(
        head,
        snapshot(text, v % 5 === 0 ? v : null),
      )!;
      rows.push({ id: v, ...next.row });
      texts.push(text);
      head = next.headAt(v);
    }
    const keyframes = rows.flatMap((r, i) => (r.keyframe ? [i] : []));
    expect(keyframes).toEqual([0, 1, 2, 3].map((k) => k * KEYFRAME_EVERY));
    expect(rows.filter((r) => r.keyframe).every((r) => r.delta === "")).toBe(true);
    // Each version from its nearest keyframe; the head from the last keyframe is the latest text.
    texts.forEach((text, i) => {
      const from = i - (i % KEYFRAME_EVERY);
      expect(textOfChain(rows.slice(from, i + 1))).toBe(text);
    });
    expect(headOfChain(rows.slice(3 * KEYFRAME_EVERY))).toEqual(head);
    // A keyframe is the text compressed: a fraction of it.
    expect(rows[KEYFRAME_EVERY]!.keyframe!.length).toBeLessThan(texts[KEYFRAME_EVERY]!.length / 3);
  });

  it('start a chain from "" at a file\'s first row when it has no keyframe (rows stored before keyframes)', () => {
    const legacy: ChainRow[] = [
      { id: 1, delta: JSON.stringify(textDelta("", "a\nb\n")), keyframe: null },
      { id: 2, delta: JSON.stringify(textDelta("a\nb\n", "a\nc\n")), keyframe: null },
    ];
    expect(textOfChain(legacy)).toBe("a\nc\n");
    expect(headOfChain(legacy)).toEqual({ id: 2, text: "a\nc\n", sinceKeyframe: 1 });
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

/** The window (log2 of its size) a brotli stream declares in its first bits (RFC 7932, 9.1). */
function brotliWindowBits(stream: Uint8Array): number {
  const b = stream[0]! | (stream[1]! << 8);
  if ((b & 1) === 0) return 16;
  const n = (b >> 1) & 7;
  if (n !== 0) return 17 + n;
  const m = (b >> 4) & 7;
  return m === 0 ? 17 : 8 + m;
}

describe("keyframes", () => {
  it("compress with a window the text fits in, and decompress to the text", () => {
    // The encoder's tables grow with the window: the default 4 MB one made a 3 KB text take
    // ten times as long to compress, on the core the live edits run on.
    for (const [length, bits] of [
      [0, 10],
      [500, 10],
      [1008, 10],
      [1009, 11],
      [3_000, 12],
      [100_000, 17],
    ] as const) {
      const text = Array.from({ length }, (_, i) => "abcdefghij\n"[(i * 7 + (i >> 5)) % 11]).join("");
      const stored = compressText(text);
      expect(decompressText(stored)).toBe(text);
      if (length > 0) expect(brotliWindowBits(stored), `${length} bytes`).toBe(bits);
    }
  });
});

describe("the file heads cache", () => {
  it("answers a head only while it is the file's latest row, and drops the least recently used past its bound", () => {
    const heads = new FileHeads(10);
    heads.set(1, { id: 5, text: "abcd", sinceKeyframe: 0 });
    expect(heads.get(1, 6)).toBeNull();
    expect(heads.get(1, 5)).toBeNull();
    heads.set(1, { id: 6, text: "abcd", sinceKeyframe: 1 });
    heads.set(2, { id: 7, text: "efgh", sinceKeyframe: 0 });
    expect(heads.get(1, 6)?.sinceKeyframe).toBe(1);
    heads.set(3, { id: 8, text: "ijkl", sinceKeyframe: 0 });
    // 12 code units > 10: file 2, used least recently, is dropped.
    expect(heads.get(2, 7)).toBeNull();
    expect(heads.get(1, 6)?.text).toBe("abcd");
    expect(heads.get(3, 8)?.text).toBe("ijkl");
    heads.set(4, { id: 9, text: "x".repeat(11), sinceKeyframe: 0 });
    expect(heads.get(4, 9)).toBeNull();
  });
});
