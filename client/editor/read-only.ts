/**
 * Read-only, switchable without rebuilding the editor (the host locks and unlocks editing). A
 * read-only editor can still be reached with Tab and scrolled from the keyboard.
 */
import { Compartment, EditorState, type Extension } from "@codemirror/state";
import { EditorView } from "@codemirror/view";

const lock = new Compartment();
// Locked, the content stays focusable: createEditor (setup.ts) gives it tabindex 0 either way, so
// keyboard users can still reach and scroll it.
const lockExtension = (on: boolean): Extension =>
  on
    ? [EditorState.readOnly.of(true), EditorView.editable.of(false)]
    : [EditorState.readOnly.of(false), EditorView.editable.of(true)];

/** Starts read-only (`on`) or editable; {@link setReadOnly} switches it. */
export const readOnly = (on: boolean): Extension => lock.of(lockExtension(on));

export function setReadOnly(view: EditorView, on: boolean): void {
  view.dispatch({ effects: lock.reconfigure(lockExtension(on)) });
}
