import { describe, expect, it } from "vitest";
import { historyFragment, historyTarget } from "./history-link.js";
import { summaryTokenFromFragment } from "./SummaryPage.js";

describe("summary history links", () => {
  it("open a unit's timeline beside the share token, and close it again", () => {
    const open = historyFragment("#token=a.b-c", { workspaceId: "w 1", taskId: "gd" });
    expect(summaryTokenFromFragment(open)).toBe("a.b-c");
    expect(historyTarget(open)).toEqual({ workspaceId: "w 1", taskId: "gd" });
    const closed = historyFragment(open, null);
    expect(historyTarget(closed)).toBeNull();
    expect(summaryTokenFromFragment(closed)).toBe("a.b-c");
  });
  it("need both the workspace and the task", () => {
    expect(historyTarget("#history=w")).toBeNull();
    expect(historyTarget("")).toBeNull();
    expect(historyFragment("", null)).toBe("#");
  });
});
