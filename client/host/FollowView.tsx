/**
 * Following a participant: a live, read-only view of their code for the task they have open (or one
 * the host picks), their cursor, scrolled to keep that cursor in sight, and the latest run of that
 * same task. Someone who left (no presence) is shown at the task of their latest run. The view opens
 * beside the table and scrolls itself into sight.
 * The host is invisible here: this view publishes no presence and no cursor into their workspace.
 * Editing their code is a separate, explicit action (`onEdit`, the WorkspaceViewer).
 * "History" opens the timeline of the task shown (client/history/Timeline.tsx), diffed against
 * their live code and reloaded at each of their runs.
 */
import { EditorView } from "@codemirror/view";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import * as Y from "yjs";
import type { PublicTask } from "../api.js";
import { ConnectionBadge, TaskOptions } from "../common/components.js";
import { workspaceDocName } from "../../contract/doc-names.js";
import { workspaceFiles } from "../../contract/session-doc.js";
import { useDocConnection } from "../common/use-doc-connection.js";
import { useAwarenessStates, useConnectionState, useY } from "../common/use-yjs.js";
import { watchOnly } from "../common/watch-awareness.js";
import { collaboration } from "../editor/collaboration.js";
import { errorLine, markErrorLine } from "../editor/error-line.js";
import { readOnly } from "../editor/read-only.js";
import { createEditor } from "../editor/setup.js";
import { errorInAttendeeCode } from "../run/report.js";
import { findFollowed, type RemoteCursor } from "./follow.js";
import { LastRun } from "./LastRun.js";
import { Timeline } from "../history/Timeline.js";
import { historySource } from "../history/source.js";
import type { RunRecord } from "./progress.js";
import "./follow.css";
import { useHostSession } from "./host-session.js";

export interface Followed {
  participantId: string;
  name: string;
  workspaceId: string;
  taskId: string | null;
}

const textOf = (text: Y.Text) => text.toString();

/** The index in `ytext` a remote cursor's head points at, or null when it is in another text. */
function cursorIndex(cursor: RemoteCursor, ytext: Y.Text): number | null {
  try {
    const head = Y.createAbsolutePositionFromRelativePosition(
      Y.createRelativePositionFromJSON(cursor.head),
      ytext.doc!,
    );
    return head && head.type === ytext ? head.index : null;
  } catch {
    return null; // a malformed cursor from someone else's client
  }
}

export function FollowView({
  followed,
  tasks,
  lastRun,
  runs,
  onEdit,
  onClose,
}: {
  followed: Followed;
  tasks: PublicTask[];
  /** Their workspace's latest run of any task. */
  lastRun: RunRecord | undefined;
  /** taskId → their workspace's latest run of that task. */
  runs: Readonly<Record<string, RunRecord>>;
  onEdit(): void;
  onClose(): void;
}) {
  const { sessionId, hostKey } = useHostSession();
  const connection = useDocConnection(workspaceDocName(sessionId, followed.workspaceId), hostKey);
  useEffect(() => connection.provider.awareness.setLocalState(null), [connection]);
  const state = useConnectionState(connection);
  const states = useAwarenessStates(connection.provider.awareness);
  const presence = findFollowed(states, followed.participantId, followed.name);

  // null: show the task they have open; otherwise the task the host picked.
  const [pinnedTask, setPinnedTask] = useState<string | null>(null);
  const [followCursor, setFollowCursor] = useState(true);
  useEffect(() => setPinnedTask(null), [followed.participantId]);
  // Here: the task they have open. Gone: the task they last ran, so code and run agree.
  const theirTask = presence?.taskId ?? followed.taskId ?? lastRun?.report.taskId ?? tasks[0]?.id ?? "";
  const taskId = pinnedTask ?? theirTask;

  const files = workspaceFiles(connection.doc);
  const fileIds = useY(files, (m) => [...m.keys()].sort().join("\n"), "");
  const ytext = useMemo(() => {
    const value = files.get(taskId);
    return value instanceof Y.Text ? value : null;
  }, [files, taskId, fileIds]);

  const [historyOpen, setHistoryOpen] = useState(false);
  // Their live text, for the timeline's diff: read (and re-rendered on) only while it is open.
  const currentText = useY(historyOpen ? ytext : null, textOf, "");
  const history = useMemo(
    () => historySource(sessionId, hostKey, followed.workspaceId),
    [sessionId, hostKey, followed.workspaceId],
  );

  const host = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<EditorView | null>(null);
  useEffect(() => {
    if (!ytext || !host.current) return;
    const instance = createEditor(host.current, {
      doc: ytext.toString(),
      label: `${followed.name}'s code, read-only`,
      extensions: [collaboration(ytext, watchOnly(connection.provider.awareness)), readOnly(true), errorLine],
    });
    setView(instance);
    return () => {
      instance.destroy();
      setView(null);
    };
  }, [ytext, connection, followed.name]);

  // Keep their cursor in sight as it moves (and as text around it changes).
  const cursor = presence?.cursor ?? null;
  useEffect(() => {
    if (!view || !ytext || !cursor || !followCursor) return;
    const index = cursorIndex(cursor, ytext);
    if (index === null || index > view.state.doc.length) return;
    view.dispatch({ effects: EditorView.scrollIntoView(index, { y: "nearest", yMargin: 40 }) });
  }, [view, ytext, cursor, followCursor, states]);

  // The latest run of the task shown, and its error line.
  const shownRun = runs[taskId];
  const error = shownRun?.report.error;
  useEffect(() => {
    if (!view) return;
    markErrorLine(view, error?.line !== undefined && errorInAttendeeCode(error) ? error.line : null);
  }, [view, error?.line, error?.message]);

  const goToErrorLine = (line: number) => {
    if (view) markErrorLine(view, line);
  };

  // Opened (or switched to someone else): bring the view into sight and put the focus on it.
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    section.current?.scrollIntoView({ block: "nearest" });
    section.current?.focus({ preventScroll: true });
  }, [followed.participantId]);

  const theirTitle = tasks.find((t) => t.id === theirTask)?.title ?? theirTask;
  return (
    <section class="follow-view" aria-label={`Following ${followed.name}`} ref={section} tabIndex={-1}>
      <div class="viewer-head">
        <h2>Following {followed.name}</h2>
        <span class="badge">read-only</span>
        <label class="inline">
          Task
          <select value={pinnedTask ?? ""} onChange={(e) => setPinnedTask(e.currentTarget.value || null)}>
            <option value="">Their current task ({theirTitle})</option>
            <TaskOptions tasks={tasks} />
          </select>
        </label>
        <label class="inline">
          <input
            type="checkbox"
            checked={followCursor}
            onChange={(e) => setFollowCursor(e.currentTarget.checked)}
          />
          Follow cursor
        </label>
        <ConnectionBadge state={state} />
        <span class="spacer" />
        <button
          type="button"
          aria-pressed={historyOpen}
          onClick={() => setHistoryOpen(!historyOpen)}
          title="Their code's kept versions, with a marker for each run"
        >
          History
        </button>
        <button type="button" onClick={onEdit} title="Open their code in an editor you can type in">
          Edit their code
        </button>
        <button type="button" onClick={onClose}>
          Stop following
        </button>
      </div>
      <div class="follow-body">
        <div class="editor viewer-editor follow-editor" ref={host}>
          {!ytext && <p class="muted">Loading…</p>}
        </div>
        <LastRun record={shownRun} taskId={taskId} tasks={tasks} onGoToLine={goToErrorLine} />
      </div>
      {historyOpen && (
        <Timeline
          source={history}
          file={taskId}
          current={ytext ? currentText : null}
          label={`History of ${followed.name}'s code`}
          reloadKey={lastRun?.at}
        />
      )}
    </section>
  );
}
