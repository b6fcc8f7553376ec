/**
 * The bench's markers (bench/markers.ts): readers find "#writer:seq#" in raw update bytes exactly
 * where the regular expression the readers used before finds them, and the typed and seen records
 * indexed by seq behave as the Map and Sets they replace.
 */
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { markerSeq, scanMarkers, SeenMarkers, SentMarkers } from "../../bench/markers.js";
import { seededRandom } from "../../bench/round-intervals.js";

/** What the readers matched before: the regular expression over the bytes read as latin1. */
function regexMarkers(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes).toString("latin1");
  return [...text.matchAll(/#(\d+):(\d+)#/g)].map((m) => `${Number(m[1])}:${Number(m[2])}`);
}

function scanned(bytes: Uint8Array): string[] {
  const found: string[] = [];
  scanMarkers(bytes, (writer, seq) => found.push(`${writer}:${seq}`));
  return found;
}

const latin1 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "latin1"));

describe("scanning update bytes for markers", () => {
  it("finds the markers of real Yjs updates, as typed", () => {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on("update", (u: Uint8Array) => updates.push(u));
    const text = doc.getText("bench");
    text.insert(0, "#0:0#");
    text.insert(2, "#3:1#");
    text.insert(text.length, "#1000000:2# Everyone: try the next task\n");
    expect(updates.map(scanned)).toEqual([["0:0"], ["3:1"], ["1000000:2"]]);
    expect(scanned(Y.encodeStateAsUpdate(doc)).sort()).toEqual(
      regexMarkers(Y.encodeStateAsUpdate(doc)).sort(),
    );
  });

  it("matches the regular expression on edge cases: broken, adjacent and overlapping markers", () => {
    for (const s of [
      "",
      "#",
      "##",
      "#1:2",
      "#1:2#",
      "#1:2##3:4#",
      "#1:2#3:4#",
      "##1:2#",
      "#1#2:3#",
      "#:1#",
      "#1:#",
      "#1::2#",
      "#12:34#x#5:6#",
      "#007:0010#",
      "#1:2#:3#",
      "a#1:2#b#c#3:4#",
    ])
      expect(scanned(latin1(s)), s).toEqual(regexMarkers(latin1(s)));
  });

  it("matches the regular expression on random bytes full of marker characters", () => {
    const random = seededRandom(7);
    const alphabet = [0x23, 0x3a, 0x30, 0x31, 0x39, 0x2f, 0x40, 0x00, 0xff, 0x41];
    for (let k = 0; k < 2000; k++) {
      const bytes = Uint8Array.from(
        { length: Math.floor(random() * 40) },
        () => alphabet[Math.floor(random() * alphabet.length)]!,
      );
      expect(scanned(bytes)).toEqual(regexMarkers(bytes));
    }
  });
});

describe("the typed and seen markers", () => {
  it("keeps when each marker was typed, by id, past its first array's length", () => {
    const sent = new SentMarkers();
    sent.set("0:0", 1.5).set("4:5000", 7);
    expect(sent.get("0:0")).toBe(1.5);
    expect(sent.at(5000)).toBe(7);
    expect(sent.get("4:1")).toBeUndefined();
    expect(sent.at(10 ** 9)).toBeUndefined();
    expect(sent.size).toBe(2);
    expect([...sent]).toEqual([
      ["0:0", 1.5],
      ["4:5000", 7],
    ]);
  });

  it("counts a marker once per reader however often it arrives", () => {
    const seen = new SeenMarkers();
    expect(seen.add(3)).toBe(true);
    expect(seen.add(3)).toBe(false);
    expect(seen.add(70_000)).toBe(true);
    expect(seen.size).toBe(2);
    expect(seen.has("1:3")).toBe(true);
    expect(seen.has("1:4")).toBe(false);
    expect(seen.has("1:70000")).toBe(true);
    expect(seen.has("1:900000")).toBe(false);
  });

  it("refuses an id that is not writer:seq", () => {
    expect(markerSeq("12:34")).toBe(34);
    for (const id of ["", "1", "1:", ":1", "a:1", "1:2:3", "run:1"])
      expect(() => markerSeq(id), id).toThrow(/marker id/);
  });
});
