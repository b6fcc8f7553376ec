import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { encodeSyncStep1, syncStep1Frame } from "./protocol.js";

describe("syncStep1Frame", () => {
  it("encodes a doc's sync step 1 once per version, the same bytes as encodeSyncStep1", () => {
    const doc = new Y.Doc();
    const empty = syncStep1Frame(doc);
    expect(empty).toEqual(encodeSyncStep1(doc));
    expect(syncStep1Frame(doc)).toBe(empty);

    doc.getText("t").insert(0, "hello");
    const one = syncStep1Frame(doc);
    expect(one).not.toEqual(empty);
    expect(one).toEqual(encodeSyncStep1(doc));
    expect(syncStep1Frame(doc)).toBe(one);

    // An update from another client (a new entry in the state vector).
    const other = new Y.Doc();
    other.getText("t").insert(0, "x");
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    expect(syncStep1Frame(doc)).toEqual(encodeSyncStep1(doc));
    expect(syncStep1Frame(doc)).not.toEqual(one);
  });

  it("keeps one frame per doc", () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    b.getText("t").insert(0, "b");
    expect(syncStep1Frame(a)).toEqual(encodeSyncStep1(a));
    expect(syncStep1Frame(b)).toEqual(encodeSyncStep1(b));
    expect(syncStep1Frame(a)).not.toEqual(syncStep1Frame(b));
  });
});
