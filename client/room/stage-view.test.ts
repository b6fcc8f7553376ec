import { describe, expect, it } from "vitest";
import { stageView } from "./stage-view.js";

describe("stageView", () => {
  it("collapses the editor in exposition until the attendee opens it", () => {
    expect(stageView("exposition", false, false).editorCollapsed).toBe(true);
    expect(stageView("exposition", false, true).editorCollapsed).toBe(false);
    expect(stageView("coding", false, false).editorCollapsed).toBe(false);
    expect(stageView("review", false, false).editorCollapsed).toBe(false);
  });

  it("makes the editor read-only in review and while locked, with a banner saying why", () => {
    expect(stageView("coding", false, false)).toMatchObject({ readOnly: false, banner: null });
    expect(stageView("review", false, false)).toMatchObject({ readOnly: true, banner: /^Review:/ });
    expect(stageView("coding", true, false)).toMatchObject({ readOnly: true, banner: /locked/ });
    expect(stageView("exposition", false, true).readOnly).toBe(false);
  });
});
