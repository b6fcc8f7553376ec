/**
 * A CodeMirror 6 editor for attendee code: JavaScript highlighting, wrapped lines, an accessible
 * label, content reachable with Tab (editable or not), and whatever the caller composes in (collaboration, run key, error line, read-only,
 * completions: the other files of this folder). Destroying the view ends everything it holds.
 */
import { basicSetup } from "codemirror";
import { javascript } from "@codemirror/lang-javascript";
import { EditorState, type Extension } from "@codemirror/state";
import { EditorView } from "@codemirror/view";

export interface EditorSetup {
  /** The text it starts with (with collaboration, the shared text's current content). */
  doc: string;
  /** The editor's accessible name. */
  label: string;
  extensions: Extension[];
}

export function createEditor(parent: HTMLElement, { doc, label, extensions }: EditorSetup): EditorView {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        javascript(),
        ...extensions,
        // Long lines wrap: no sideways scrolling on a projector or a narrow laptop column.
        EditorView.lineWrapping,
        // tabindex 0 on the content, editable or read-only: it is the keyboard's way into the
        // scroller, and tools (axe's scrollable-region-focusable) only count an element with a
        // tabindex as focusable, not a bare contenteditable. No extra tab stop: the content already
        // is one; a tabindex on .cm-scroller would add a second.
        EditorView.contentAttributes.of({ "aria-label": label, tabindex: "0" }),
      ],
    }),
  });
}
