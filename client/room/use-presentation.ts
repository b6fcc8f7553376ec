/**
 * The room's side of present mode: whether this attendee follows the host's presentation or has
 * stepped out, announced in the session-doc awareness (`presenting`) for the host's Present panel.
 * Esc steps out; Alt+P rejoins. Every new presentation starts with everyone following.
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import type * as Y from "yjs";
import { sessionDoc } from "../../contract/session-doc.js";
import type { Presenting } from "../common/presentation.js";
import type { DocConnection } from "../common/sync.js";
import { usePresentSwitch, type PresentSwitch } from "../common/use-present.js";

export interface Presentation extends PresentSwitch {
  present: Y.Map<unknown>;
  /** The host presents and this attendee watches it (in place of its own editor). */
  following: boolean;
  steppedOut: boolean;
  stepOut(): void;
  rejoin(): void;
}

/** Whether a key press is the rejoin shortcut, Alt+P (by key position, so any layout works). */
export const isRejoinKey = (e: KeyboardEvent) => e.altKey && !e.ctrlKey && !e.metaKey && e.code === "KeyP";

export function usePresentation(session: DocConnection, onStepOut?: () => void): Presentation {
  const present = sessionDoc.present(session.doc);
  const state = usePresentSwitch(present);
  const [steppedOut, setSteppedOut] = useState(false);
  // A new presentation (or the end of one) puts everyone back to following.
  useEffect(() => setSteppedOut(false), [state.active]);
  const following = state.active && state.code !== null && !steppedOut;

  useEffect(() => {
    const presenting: Presenting | null = state.active ? (steppedOut ? "stepped-out" : "following") : null;
    session.provider.awareness.setLocalStateField("presenting", presenting);
  }, [session, state.active, steppedOut]);

  const stepOut = useCallback(() => {
    setSteppedOut(true);
    // After the own editor is visible again.
    setTimeout(() => onStepOut?.(), 0);
  }, [onStepOut]);
  const rejoin = useCallback(() => setSteppedOut(false), []);
  useEffect(() => {
    if (!state.active) return;
    const onKey = (e: KeyboardEvent) => {
      if (following && e.key === "Escape") {
        e.preventDefault();
        stepOut();
      } else if (!following && isRejoinKey(e)) {
        e.preventDefault();
        rejoin();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [state.active, following, stepOut, rejoin]);

  return { ...state, present, following, steppedOut, stepOut, rejoin };
}
