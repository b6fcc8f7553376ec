/**
 * The attendee's own history (issue 19): the timeline of the task open in the room, diffed against
 * the code as it is now, with "Restore this version", which the server applies as a new edit of the
 * shared doc (history is never rewritten), so a pair partner sees it arrive like any edit.
 * Alt+H opens and closes it; Esc closes it from inside.
 */
import { useEffect, useMemo } from "preact/hooks";
import type * as Y from "yjs";
import { api } from "../api.js";
import { useY } from "../common/use-yjs.js";
import { Timeline } from "../history/Timeline.js";
import { historySource } from "../history/source.js";
import "./history-panel.css";

/** Whether a key press is the history shortcut, Alt+H (by key position, so any layout works). */
export const isHistoryKey = (e: KeyboardEvent) => e.altKey && !e.ctrlKey && !e.metaKey && e.code === "KeyH";

/** Calls `toggle` on Alt+H anywhere in the page. */
export function useHistoryKey(toggle: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isHistoryKey(e)) return;
      e.preventDefault();
      toggle();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [toggle]);
}

const textOf = (text: Y.Text) => text.toString();

export function HistoryPanel({
  sessionId,
  token,
  workspaceId,
  task,
  ytext,
  reloadKey,
  onClose,
}: {
  sessionId: string;
  token: string;
  /** The workspace the attendee edits now (its own, or its pair's). */
  workspaceId: string;
  task: { id: string; title: string };
  ytext: Y.Text | null;
  /** Changes when a run of this attendee was stored (a new version with a marker). */
  reloadKey: unknown;
  onClose(): void;
}) {
  const source = useMemo(() => historySource(sessionId, token, workspaceId), [sessionId, token, workspaceId]);
  const current = useY(ytext, textOf, "");
  return (
    <div
      class="history-panel"
      onKeyDown={(e) => {
        if (e.key !== "Escape") return;
        e.preventDefault();
        onClose();
      }}
    >
      <Timeline
        source={source}
        file={task.id}
        current={ytext ? current : null}
        label={`History of your code for ${task.title}`}
        reloadKey={reloadKey}
        autoFocus
        onRestore={async (version) => {
          await api.restoreVersion(sessionId, token, workspaceId, version.id);
        }}
      />
      <button type="button" class="history-close" onClick={onClose}>
        Close history <kbd>Esc</kbd>
      </button>
    </div>
  );
}
