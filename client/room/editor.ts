/**
 * The attendee's CodeMirror 6 editor bound to one task's Y.Text with y-codemirror.next: shared
 * edits, remote cursors with names, shared undo; JavaScript highlighting and completions; Run on
 * Ctrl/Cmd+Enter; read-only while the host locks editing; the line of a run error marked.
 */
import { basicSetup } from "codemirror";
import { Compartment, EditorState, Prec, StateEffect, StateField, type Extension } from "@codemirror/state";
import { Decoration, EditorView, keymap, type DecorationSet } from "@codemirror/view";
import { javascript, javascriptLanguage } from "@codemirror/lang-javascript";
import type { CompletionSource } from "@codemirror/autocomplete";
import { yCollab } from "y-codemirror.next";
import * as Y from "yjs";
import type { CursorAwareness } from "../common/watch-awareness.js";

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

export interface CodeEditor {
  view: EditorView;
  setReadOnly(readOnly: boolean): void;
  /** Marks a 1-based line as the location of a run error (null clears) and scrolls it into view. */
  markError(line: number | null): void;
  /** Replaces the selection with `code` (inserts at the cursor) and focuses the editor. */
  insert(code: string): void;
  goToLine(line: number): void;
  destroy(): void;
}

export interface EditorOptions {
  onRun(): void;
  completions?: CompletionSource;
  readOnly: boolean;
  label: string;
}

export function createEditor(
  parent: HTMLElement,
  ytext: Y.Text,
  awareness: CursorAwareness,
  options: EditorOptions,
): CodeEditor {
  const readOnly = new Compartment();
  const readOnlyExtension = (on: boolean): Extension => [
    EditorState.readOnly.of(on),
    EditorView.editable.of(!on),
  ];
  const undoManager = new Y.UndoManager(ytext);
  const extensions: Extension[] = [
    Prec.highest(
      keymap.of([
        {
          key: "Mod-Enter",
          run: () => {
            options.onRun();
            return true;
          },
        },
      ]),
    ),
    basicSetup,
    javascript(),
    yCollab(ytext, awareness, { undoManager }),
    errorLineField,
    // Long lines wrap: no sideways scrolling on a projector or a narrow laptop column.
    EditorView.lineWrapping,
    readOnly.of(readOnlyExtension(options.readOnly)),
    EditorView.contentAttributes.of({ "aria-label": options.label }),
  ];
  if (options.completions) extensions.push(javascriptLanguage.data.of({ autocomplete: options.completions }));
  const view = new EditorView({
    parent,
    state: EditorState.create({ doc: ytext.toString(), extensions }),
  });
  return {
    view,
    setReadOnly(on) {
      view.dispatch({ effects: readOnly.reconfigure(readOnlyExtension(on)) });
    },
    markError(line) {
      const effects: StateEffect<unknown>[] = [setErrorLine.of(line)];
      if (line !== null && line >= 1 && line <= view.state.doc.lines) {
        effects.push(EditorView.scrollIntoView(view.state.doc.line(line).from, { y: "center" }));
      }
      view.dispatch({ effects });
    },
    insert(code) {
      if (view.state.readOnly) return;
      const text = code.endsWith("\n") ? code : `${code}\n`;
      view.dispatch(view.state.replaceSelection(text), { scrollIntoView: true, userEvent: "input.paste" });
      view.focus();
    },
    goToLine(line) {
      const target = view.state.doc.line(Math.min(Math.max(1, line), view.state.doc.lines));
      view.dispatch({ selection: { anchor: target.from }, scrollIntoView: true });
      view.focus();
    },
    destroy() {
      view.destroy();
      undoManager.destroy();
    },
  };
}
