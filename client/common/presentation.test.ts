import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { sessionDoc } from "../../contract/session-doc.js";
import { followerScrollTarget, readPresent, summarisePresenting } from "./presentation.js";

describe("readPresent", () => {
  it("keeps the font size within the sizes the host can pick", () => {
    const present = sessionDoc.present(new Y.Doc());
    present.set("fontSize", 1000);
    expect(readPresent(present).fontSize).toBe(48);
    present.set("fontSize", 2);
    expect(readPresent(present).fontSize).toBe(16);
    present.set("shown", "x".repeat(500));
    expect(readPresent(present).shown).toHaveLength(120);
  });
  it("reads what the host wrote", () => {
    const doc = new Y.Doc();
    const present = sessionDoc.present(doc);
    const code = new Y.Text("const x = 1;");
    present.set("code", code);
    present.set("active", true);
    present.set("topLine", 12);
    present.set("bottomLine", 40);
    present.set("taskId", "t1");
    present.set("fontSize", 32);
    present.set("shown", "Ada & Bob");
    expect(readPresent(present)).toEqual({
      active: true,
      code,
      topLine: 12,
      bottomLine: 40,
      taskId: "t1",
      fontSize: 32,
      shown: "Ada & Bob",
    });
  });
  it("falls back to defaults for a missing or malformed map", () => {
    const present = sessionDoc.present(new Y.Doc());
    expect(readPresent(present)).toEqual({
      active: false,
      code: null,
      topLine: 1,
      bottomLine: null,
      taskId: null,
      fontSize: 24,
      shown: null,
    });
    present.set("active", "yes");
    present.set("code", "not a Y.Text");
    present.set("topLine", -3);
    present.set("bottomLine", 2.5);
    present.set("taskId", 7);
    present.set("fontSize", "huge");
    present.set("shown", 3);
    expect(readPresent(present)).toEqual({
      active: false,
      code: null,
      topLine: 1,
      bottomLine: null,
      taskId: null,
      fontSize: 24,
      shown: null,
    });
  });
});

describe("summarisePresenting", () => {
  const roster = new Map([
    ["p1", { name: "Ada" }],
    ["p2", { name: "Grace" }],
    ["p3", { name: "Alan" }],
  ]);
  it("counts followers and names those who stepped out, sorted", () => {
    const states = new Map<number, Record<string, unknown>>([
      [1, { user: { name: "Host" } }],
      [2, { participantId: "p1", presenting: "stepped-out" }],
      [3, { participantId: "p2", presenting: "stepped-out" }],
      [4, { participantId: "p3", presenting: "following" }],
      [5, { participantId: "p4", presenting: "following", user: { name: "Not yet in roster" } }],
      [6, { participantId: "p5", presenting: "<b>odd</b>" }],
      [7, { participantId: "p6", presenting: "stepped-out", user: { name: "Zed" } }],
    ]);
    expect(summarisePresenting(states, roster)).toEqual({
      following: 2,
      steppedOut: ["Ada", "Grace", "Zed"],
    });
  });
  it("counts someone with two tabs once, as following if one tab follows", () => {
    const states = new Map<number, Record<string, unknown>>([
      [2, { participantId: "p1", presenting: "stepped-out" }],
      [3, { participantId: "p1", presenting: "following" }],
      [4, { participantId: "p2", presenting: "stepped-out" }],
      [5, { participantId: "p2", presenting: "stepped-out" }],
    ]);
    expect(summarisePresenting(states, roster)).toEqual({ following: 1, steppedOut: ["Grace"] });
  });
});

describe("followerScrollTarget", () => {
  it("puts the host's top line at the top", () => {
    expect(followerScrollTarget({ topLine: 20, bottomLine: 45 }, 100)).toEqual({ line: 20, y: "start" });
    expect(followerScrollTarget({ topLine: 20, bottomLine: null }, 100)).toEqual({ line: 20, y: "start" });
  });
  it("goes to the end when the host sees the end", () => {
    expect(followerScrollTarget({ topLine: 80, bottomLine: 100 }, 100)).toEqual({ line: 100, y: "end" });
  });
  it("stays inside the text while the follower's copy is shorter", () => {
    expect(followerScrollTarget({ topLine: 80, bottomLine: 90 }, 50)).toEqual({ line: 50, y: "end" });
    expect(followerScrollTarget({ topLine: 80, bottomLine: null }, 50)).toEqual({ line: 50, y: "start" });
    expect(followerScrollTarget({ topLine: 1, bottomLine: null }, 0)).toEqual({ line: 1, y: "start" });
  });
});
