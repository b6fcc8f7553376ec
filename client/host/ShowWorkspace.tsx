/**
 * "Show to everyone" (issue 17: Review): the host picks an attendee's workspace (a pair's is one
 * entry) and every room shows its code for the current task full window, read-only, in present
 * mode under "<names>'s code, shown by the host". The code is copied into the session doc's
 * `present.code` (attendees cannot open each other's workspace docs), so it is a snapshot: what
 * the workspace held when the host clicked, which in Review nobody can change anyway. "Release"
 * (here or in the Present panel) ends it.
 */
import { useMemo, useState } from "preact/hooks";
import * as Y from "yjs";
import type { PublicTask } from "../api.js";
import { sessionDoc, workspaceFiles, type RosterEntry } from "../../contract/session-doc.js";
import { workspaceDocName } from "../../contract/doc-names.js";
import { connectDoc, type DocConnection } from "../common/sync.js";
import { usePresentSwitch } from "../common/use-present.js";
import { showableWorkspaces } from "./show-workspace.js";

/** How long to wait for a workspace doc to sync before giving up. */
const SYNC_TIMEOUT_MS = 10_000;

/** The text of `taskId` in a workspace doc, read once over a connection of its own. */
async function workspaceText(sessionId: string, hostKey: string, workspaceId: string, taskId: string) {
  const workspace = connectDoc(workspaceDocName(sessionId, workspaceId), hostKey);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      workspace.synced,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("the workspace did not load in time")), SYNC_TIMEOUT_MS);
      }),
    ]);
    return workspaceFiles(workspace.doc).get(taskId)?.toString() ?? "";
  } finally {
    clearTimeout(timer);
    workspace.destroy();
  }
}

export function ShowWorkspace({
  sessionId,
  hostKey,
  connection,
  roster,
  tasks,
  taskId,
}: {
  sessionId: string;
  hostKey: string;
  connection: DocConnection;
  roster: ReadonlyMap<string, RosterEntry>;
  tasks: PublicTask[];
  /** The room's current task (the first task when none is set). */
  taskId: string | null;
}) {
  const present = sessionDoc.present(connection.doc);
  const { active, shown } = usePresentSwitch(present);
  const workspaces = useMemo(() => showableWorkspaces(roster), [roster]);
  const [picked, setPicked] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const task = tasks.find((t) => t.id === taskId) ?? tasks[0];
  const choice = workspaces.find((w) => w.workspaceId === picked) ?? workspaces[0];

  const show = async () => {
    const code = present.get("code");
    if (!choice || !task || !(code instanceof Y.Text)) return;
    setBusy(true);
    setProblem(null);
    try {
      const text = await workspaceText(sessionId, hostKey, choice.workspaceId, task.id);
      connection.doc.transact(() => {
        code.delete(0, code.length);
        code.insert(0, text);
        present.set("shown", choice.label);
        present.set("taskId", task.id);
        present.set("topLine", 1);
        present.delete("bottomLine");
        present.set("active", true);
      });
    } catch (error) {
      setProblem(
        `Could not show ${choice.label}'s code: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="show-workspace" aria-label="Show to everyone">
      <h2>Show to everyone</h2>
      {workspaces.length === 0 ? (
        <p class="muted">Nobody has joined yet.</p>
      ) : (
        <div class="present-actions">
          <label>
            Workspace{" "}
            <select value={choice?.workspaceId ?? ""} onChange={(e) => setPicked(e.currentTarget.value)}>
              {workspaces.map((w) => (
                <option key={w.workspaceId} value={w.workspaceId}>
                  {w.label}
                </option>
              ))}
            </select>
          </label>
          <button type="button" class="primary" onClick={() => void show()} disabled={busy || !task}>
            Show {choice ? `${choice.label}'s code` : ""}
          </button>
          {active && shown && (
            <button type="button" class="danger" onClick={() => present.set("active", false)}>
              Stop showing
            </button>
          )}
        </div>
      )}
      {active && shown && (
        <p class="muted" role="status">
          Everyone sees {shown}'s code{task ? ` (${task.title})` : ""}.
        </p>
      )}
      {problem && <p role="alert">{problem}</p>}
    </section>
  );
}
