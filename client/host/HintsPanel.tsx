/**
 * The host's hints panel for the current task: reveal the next hint or the reference solution to
 * everyone, and the queue of attendees' hint requests, each answerable with their next hint. The
 * queue follows the session's `hint-request` and `reveal` server-sent events.
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import { useSessionEvents } from "./session-events.js";
import { api, type HintRequestView, type PublicTask } from "../api.js";
import { useHostSession } from "./host-session.js";

export interface HintsPanelProps {
  tasks: PublicTask[];
  taskId: string | null;
}

export function HintsPanel({ tasks, taskId }: HintsPanelProps) {
  const { sessionId, hostKey } = useHostSession();
  const [requests, setRequests] = useState<HintRequestView[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = useCallback(
    () =>
      void api.hintRequests(sessionId, hostKey).then(
        ({ requests }) => setRequests(requests),
        () => undefined,
      ),
    [sessionId, hostKey],
  );
  useEffect(refresh, [refresh]);
  useSessionEvents(sessionId, hostKey, ["hint-request", "reveal"], refresh);

  const task = tasks.find((t) => t.id === taskId);
  const reveal = (kind: "hint" | "solution", participantId?: string, forTask = taskId) => {
    if (!forTask) return;
    api
      .reveal(sessionId, hostKey, { taskId: forTask, kind, ...(participantId ? { participantId } : {}) })
      .then(
        () => setNotice(kind === "hint" ? "Hint revealed." : "Solution revealed."),
        (error: unknown) => setNotice(error instanceof Error ? error.message : String(error)),
      );
  };
  const open = requests.filter((r) => !r.answered);
  const title = (id: string) => tasks.find((t) => t.id === id)?.title ?? id;
  return (
    <section class="hints-panel" aria-label="Hints and solutions">
      <h2>Hints</h2>
      {task ? (
        <div class="hint-actions">
          <button type="button" onClick={() => reveal("hint")} disabled={task.hintCount === 0}>
            Reveal next hint to everyone
          </button>
          <button type="button" onClick={() => reveal("solution")}>
            Reveal solution to everyone
          </button>
        </div>
      ) : (
        <p>Choose a current task to reveal its hints.</p>
      )}
      {notice && <p role="status">{notice}</p>}
      <h3>Hint requests ({open.length})</h3>
      <ul class="hint-requests">
        {open.map((r) => (
          <li key={r.id} data-hint-request={r.participantId}>
            <span class="name">{r.name}</span> asks for a hint on {title(r.taskId)}{" "}
            <button type="button" onClick={() => reveal("hint", r.participantId, r.taskId)}>
              Send next hint
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
