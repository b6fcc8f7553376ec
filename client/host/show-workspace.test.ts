import { describe, expect, it } from "vitest";
import type { RosterEntry } from "../../contract/session-doc.js";
import { showableWorkspaces } from "./show-workspace.js";

const entry = (name: string, workspaceId: string): RosterEntry => ({ name, workspaceId, joinedAt: 0 });

describe("showableWorkspaces", () => {
  it("lists one entry per workspace, a pair named by both members", () => {
    const roster = new Map([
      ["p1", entry("Bob", "w-pair")],
      ["p2", entry("Cleo", "w2")],
      ["p3", entry("Ada", "w-pair")],
      ["p4", entry("Nobody", "")],
    ]);
    expect(showableWorkspaces(roster)).toEqual([
      { workspaceId: "w-pair", label: "Ada & Bob" },
      { workspaceId: "w2", label: "Cleo" },
    ]);
  });
});
