/**
 * The line a run error points at, marked (`cm-error-line`, `aria-invalid`) until the attendee edits.
 */
import { StateEffect, StateField, type Extension } from "@codemirror/state";
import { Decoration, EditorView, type DecorationSet } from "@codemirror/view";

const setErrorLine = StateEffect.define<number | null>();

const errorLineField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(decorations, tr) {
    let next = decorations.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setErrorLine)) continue;
      const line = effect.value;
      if (line === null || line < 1 || line > tr.state.doc.lines) next = Decoration.none;
      else
        next = Decoration.set([
          Decoration.line({ class: "cm-error-line", attributes: { "aria-invalid": "true" } }).range(
            tr.state.doc.line(line).from,
          ),
        ]);
    }
    // Editing clears the mark: the error refers to code that no longer exists as it was.
    return tr.docChanged && tr.isUserEvent("input") ? Decoration.none : next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export const errorLine: Extension = errorLineField;

/** Marks a 1-based line as the location of a run error (null clears) and scrolls it into view. */
export function markErrorLine(view: EditorView, line: number | null): void {
  const effects: StateEffect<unknown>[] = [setErrorLine.of(line)];
  if (line !== null && line >= 1 && line <= view.state.doc.lines) {
    effects.push(EditorView.scrollIntoView(view.state.doc.line(line).from, { y: "center" }));
  }
  view.dispatch({ effects });
}
