/**
 * What the room does to its editor from outside: insert a snippet, go to a line.
 */
import type { EditorView } from "@codemirror/view";

/** Replaces the selection with `code` (inserts at the cursor) and focuses the editor; not when read-only. */
export function insertCode(view: EditorView, code: string): void {
  if (view.state.readOnly) return;
  const text = code.endsWith("\n") ? code : `${code}\n`;
  view.dispatch(view.state.replaceSelection(text), { scrollIntoView: true, userEvent: "input.paste" });
  view.focus();
}

export function goToLine(view: EditorView, line: number): void {
  const target = view.state.doc.line(Math.min(Math.max(1, line), view.state.doc.lines));
  view.dispatch({ selection: { anchor: target.from }, scrollIntoView: true });
  view.focus();
}
