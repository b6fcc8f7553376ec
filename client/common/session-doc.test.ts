import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { formatCountdown, newBroadcastId, readBroadcasts, readMeta, readRoster } from "./session-doc.js";

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
  it("formats the countdown and makes distinct broadcast ids", () => {
    expect(formatCountdown(10_000 + 245_000, 10_000)).toBe("4:05");
    expect(formatCountdown(0, 10_000)).toBe("0:00");
    expect(formatCountdown(1_500, 0)).toBe("0:02");
    expect(newBroadcastId(5)).not.toBe(newBroadcastId(5));
  });
});
