/**
 * What each stage means in the room (docs/client.md, "Stages"): Exposition puts the host's feed
 * first and collapses the editor until the attendee opens it; Coding is the full workspace; Review
 * keeps editors read-only (the host may show one workspace to everyone). Pure, tested in Node.
 */
import type { Stage } from "../../contract/session-doc.js";

export interface StageView {
  /** The editor, Run and output are folded away behind "Open the editor". */
  editorCollapsed: boolean;
  /** The attendee's editor takes no typing (besides the host's lock). */
  readOnly: boolean;
  /** The banner under the top bar, if the stage has one. */
  banner: string | null;
}

/** The room's layout for `stage`; `editorOpened` is the attendee's click on "Open the editor". */
export function stageView(stage: Stage, locked: boolean, editorOpened: boolean): StageView {
  return {
    editorCollapsed: stage === "exposition" && !editorOpened,
    readOnly: locked || stage === "review",
    banner: locked
      ? "The host has locked editing. You can read and run, but not type."
      : stage === "review"
        ? "Review: editing is paused. You can read and run your code, but not type."
        : null,
  };
}
