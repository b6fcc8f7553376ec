import { describe, expect, it } from "vitest";
import { findFollowed } from "./follow.js";

const cursor = { anchor: { item: null }, head: { item: null } };

describe("findFollowed", () => {
  it("finds the participant by id, with their task and cursor", () => {
    const states = new Map<number, Record<string, unknown>>([
      [1, { user: { name: "Host" } }],
      [2, { user: { name: "Ada" }, participantId: "p-ada", taskId: "t2", cursor }],
      [3, { user: { name: "Grace" }, participantId: "p-grace", taskId: "t1", cursor }],
    ]);
    expect(findFollowed(states, "p-ada", "Ada")).toEqual({ clientId: 2, taskId: "t2", cursor });
  });
  it("falls back to the name only for states that announce no participant", () => {
    const states = new Map<number, Record<string, unknown>>([
      [5, { user: { name: "Ada" }, participantId: "p-other-ada" }],
      [6, { user: { name: "Ada" }, taskId: "t1" }],
    ]);
    expect(findFollowed(states, "p-ada", "Ada")).toEqual({ clientId: 6, taskId: "t1", cursor: null });
  });
  it("prefers the tab with a cursor and ignores malformed fields", () => {
    const states = new Map<number, Record<string, unknown>>([
      [7, { participantId: "p", taskId: 4, cursor: "x" }],
      [8, { participantId: "p", cursor }],
    ]);
    expect(findFollowed(states, "p", "Ada")).toEqual({ clientId: 8, taskId: null, cursor });
    expect(findFollowed(new Map([[7, { participantId: "p", taskId: 4, cursor: "x" }]]), "p", "A")).toEqual({
      clientId: 7,
      taskId: null,
      cursor: null,
    });
    expect(findFollowed(new Map(), "p", "Ada")).toBeNull();
  });
});
