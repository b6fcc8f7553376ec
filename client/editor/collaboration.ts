/**
 * Shared editing of one Y.Text with y-codemirror.next: remote edits, remote cursors with names, and
 * an undo history of this editor's own changes (destroyed with the view).
 */
import type { Extension } from "@codemirror/state";
import { ViewPlugin } from "@codemirror/view";
import { yCollab } from "y-codemirror.next";
import * as Y from "yjs";
import type { CursorAwareness } from "../common/watch-awareness.js";

export function collaboration(ytext: Y.Text, awareness: CursorAwareness): Extension {
  const undoManager = new Y.UndoManager(ytext);
  return [
    yCollab(ytext, awareness, { undoManager }),
    ViewPlugin.define(() => ({ destroy: () => undoManager.destroy() })),
  ];
}
