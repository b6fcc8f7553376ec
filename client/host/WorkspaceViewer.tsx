/**
 * The host looking over an attendee's shoulder: their workspace doc, live, in the same editor the
 * attendee has (the host may edit, docs/api.md, "Sync"), with the attendee's cursor and name shown.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { PublicTask } from "../api.js";
import { ConnectionBadge, TaskOptions } from "../common/components.js";
import { workspaceDocName } from "../../contract/doc-names.js";
import { workspaceFiles } from "../../contract/session-doc.js";
import { useDocConnection } from "../common/use-doc-connection.js";
import { useConnectionState, useY } from "../common/use-yjs.js";
import { collaboration } from "../editor/collaboration.js";
import { createEditor } from "../editor/setup.js";
import { useHostSession } from "./host-session.js";

export interface Watched {
  participantId: string;
  name: string;
  workspaceId: string;
  taskId: string | null;
}

export function WorkspaceViewer({
  watched,
  tasks,
  onClose,
}: {
  watched: Watched;
  tasks: PublicTask[];
  onClose(): void;
}) {
  const { sessionId, hostKey } = useHostSession();
  const connection = useDocConnection(workspaceDocName(sessionId, watched.workspaceId), hostKey);
  useEffect(() => {
    connection.provider.awareness.setLocalStateField("user", {
      name: "Host",
      color: "#111827",
      colorLight: "#11182733",
    });
  }, [connection]);
  const state = useConnectionState(connection);
  const files = workspaceFiles(connection.doc);
  const fileIds = useY(files, (m) => [...m.keys()].sort().join("\n"), "");
  const [taskId, setTaskId] = useState(watched.taskId ?? tasks[0]?.id ?? "");
  useEffect(() => setTaskId(watched.taskId ?? tasks[0]?.id ?? ""), [watched.participantId]);
  const ytext = useMemo(() => {
    const value = files.get(taskId);
    return value && typeof value === "object" && "insert" in value ? value : null;
  }, [files, taskId, fileIds]);
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ytext || !host.current) return;
    const view = createEditor(host.current, {
      doc: ytext.toString(),
      label: `${watched.name}'s code`,
      extensions: [collaboration(ytext, connection.provider.awareness)],
    });
    return () => view.destroy();
  }, [ytext, connection, watched.name]);

  return (
    <section class="workspace-viewer" aria-label={`${watched.name}'s code`}>
      <div class="viewer-head">
        <h2>{watched.name}'s code</h2>
        <label class="inline">
          Task
          <select value={taskId} onChange={(e) => setTaskId(e.currentTarget.value)}>
            <TaskOptions tasks={tasks} />
          </select>
        </label>
        <ConnectionBadge state={state} />
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <div class="editor viewer-editor" ref={host}>
        {!ytext && <p class="muted">Loading…</p>}
      </div>
    </section>
  );
}
