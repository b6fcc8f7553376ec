/**
 * Read-only, switchable without rebuilding the editor (the host locks and unlocks editing).
 */
import { Compartment, EditorState, type Extension } from "@codemirror/state";
import { EditorView } from "@codemirror/view";

const lock = new Compartment();
const lockExtension = (on: boolean): Extension => [EditorState.readOnly.of(on), EditorView.editable.of(!on)];

/** Starts read-only (`on`) or editable; {@link setReadOnly} switches it. */
export const readOnly = (on: boolean): Extension => lock.of(lockExtension(on));

export function setReadOnly(view: EditorView, on: boolean): void {
  view.dispatch({ effects: lock.reconfigure(lockExtension(on)) });
}
