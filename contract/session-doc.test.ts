import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  newBroadcastId,
  pairOf,
  readBroadcasts,
  readMeta,
  readPairs,
  readRoster,
  swapDue,
} from "./session-doc.js";

describe("session doc", () => {
  it("reads meta with defaults for missing or malformed fields", () => {
    const doc = new Y.Doc();
    const meta = doc.getMap<unknown>("meta");
    expect(readMeta(meta)).toEqual({
      title: "",
      pack: "",
      stage: "exposition",
      taskId: null,
      timerEndsAt: null,
      locked: false,
    });
    meta.set("title", "ML night");
    meta.set("stage", "coding");
    meta.set("taskId", "t1");
    meta.set("timerEndsAt", 1234);
    meta.set("locked", true);
    expect(readMeta(meta)).toEqual({
      title: "ML night",
      pack: "",
      stage: "coding",
      taskId: "t1",
      timerEndsAt: 1234,
      locked: true,
    });
    meta.set("stage", "party");
    meta.set("locked", "yes");
    meta.set("timerEndsAt", "soon");
    expect(readMeta(meta)).toMatchObject({ stage: "exposition", locked: false, timerEndsAt: null });
  });
  it("reads broadcasts, skipping entries without markdown", () => {
    const doc = new Y.Doc();
    const list = doc.getArray<unknown>("broadcasts");
    list.push([
      { id: "a", at: 1, markdown: "# hi", code: "x()" },
      42,
      { id: "b" },
      { markdown: "two", code: " " },
    ]);
    expect(readBroadcasts(list)).toEqual([
      { id: "a", at: 1, markdown: "# hi", code: "x()" },
      { id: "1", at: 0, markdown: "two" },
    ]);
  });
  it("reads the roster", () => {
    const doc = new Y.Doc();
    const roster = doc.getMap<unknown>("roster");
    roster.set("p1", { name: "<b>ada</b>", workspaceId: "w1", joinedAt: 3 });
    roster.set("p2", "junk");
    expect([...readRoster(roster)]).toEqual([["p1", { name: "<b>ada</b>", workspaceId: "w1", joinedAt: 3 }]]);
  });
  it("makes distinct broadcast ids", () => {
    expect(newBroadcastId(5)).not.toBe(newBroadcastId(5));
  });

  it("reads pairs defensively and tells when a pair is due to swap roles", () => {
    const doc = new Y.Doc();
    const pairs = doc.getMap<unknown>("pairs");
    pairs.set("w1", { members: ["a", "b"], driver: "b", swapEveryMinutes: 10, swappedAt: 1_000 });
    pairs.set("w2", { members: ["c", "d"], driver: "x", swapEveryMinutes: -3 });
    pairs.set("w3", { members: ["e"] });
    pairs.set("w4", "nonsense");
    const read = readPairs(pairs);
    expect([...read.keys()]).toEqual(["w1", "w2"]);
    expect(read.get("w2")).toEqual({
      workspaceId: "w2",
      members: ["c", "d"],
      driver: "c",
      swapEveryMinutes: null,
      swappedAt: 0,
    });
    expect(pairOf(read, "b")?.workspaceId).toBe("w1");
    expect(pairOf(read, "e")).toBeNull();
    const w1 = read.get("w1")!;
    expect(swapDue(w1, 1_000 + 10 * 60_000 - 1)).toBe(false);
    expect(swapDue(w1, 1_000 + 10 * 60_000)).toBe(true);
    expect(swapDue(read.get("w2")!, 1e15)).toBe(false);
  });
});
