/**
 * A view of an awareness that shows everyone else's cursors but publishes nothing: for read-only
 * editors that follow someone (the host following an attendee, an attendee following the host's
 * presentation), where a click in the view must not put a cursor into the followed person's editor.
 */
import type { Awareness } from "y-protocols/awareness";

/** What the editor's remote cursors (y-codemirror.next) use of an awareness. */
export type CursorAwareness = Pick<
  Awareness,
  "doc" | "getLocalState" | "getStates" | "setLocalStateField" | "on" | "off"
>;

/**
 * `awareness` without a local state: y-codemirror.next only publishes the local cursor when there
 * is a local state, so nothing is ever sent; remote states and their changes pass through.
 */
export function watchOnly(awareness: Awareness): CursorAwareness {
  return {
    doc: awareness.doc,
    getLocalState: () => null,
    getStates: () => awareness.getStates(),
    setLocalStateField: () => undefined,
    on: awareness.on.bind(awareness),
    off: awareness.off.bind(awareness),
  };
}
