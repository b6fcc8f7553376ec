/**
 * Verification on the dashboard: "Verify all" for the current task with the queue's length and how
 * many requested runs are still out, and a participants-table column with each workspace's mark
 * (verified ✓, not verified with the failing hidden check, error, timeout) and a "Verify" button.
 */
import type { PublicTask } from "../api.js";
import type { ExtraColumn } from "./ParticipantsTable.js";
import type { ParticipantRow } from "./progress.js";
import type { Verifications } from "./use-verifications.js";
import { describeMark, markOf, type VerifyMark } from "./verify-state.js";

function MarkBadge({ mark }: { mark: VerifyMark }) {
  if (mark.state === "none") return null;
  const tone = mark.state === "verified" ? "pass" : mark.state === "pending" ? "muted" : "fail";
  return (
    <span
      class={`verify-mark ${tone}`}
      data-verify={mark.state}
      title={"message" in mark ? mark.message : undefined}
    >
      {describeMark(mark)}
    </span>
  );
}

/** The participants-table column for `taskId`. */
export function verifyColumn(verifications: Verifications, taskId: string | null): ExtraColumn {
  return {
    label: "Verified",
    cell(row: ParticipantRow) {
      if (!taskId || !row.workspaceId) return { key: "", node: null };
      const mark = markOf(verifications.state, row.workspaceId, taskId);
      return {
        key: `${taskId}\u0000${JSON.stringify(mark)}`,
        node: (
          <>
            <MarkBadge mark={mark} />{" "}
            <button
              type="button"
              class="verify-one"
              disabled={mark.state === "pending"}
              onClick={() => verifications.verifyOne(row.workspaceId, taskId)}
              aria-label={`Verify ${row.name}`}
            >
              Verify
            </button>
          </>
        ),
      };
    },
  };
}

export function VerifyBar({
  verifications,
  rows,
  task,
}: {
  verifications: Verifications;
  rows: ParticipantRow[];
  task: PublicTask | undefined;
}) {
  const { state, queue, problem } = verifications;
  const workspaces = [...new Set(rows.map((r) => r.workspaceId).filter(Boolean))];
  const marks = task ? workspaces.map((w) => markOf(state, w, task.id)) : [];
  const waiting = marks.filter((m) => m.state === "pending").length;
  const verified = marks.filter((m) => m.state === "verified").length;
  const checked = marks.filter((m) => m.state !== "none" && m.state !== "pending").length;
  return (
    <section class="verify-bar" aria-label="Verification">
      <button
        type="button"
        disabled={!task || workspaces.length === 0}
        onClick={() => task && verifications.verifyAll(workspaces, task.id)}
      >
        Verify all{task ? ` on ${task.title}` : ""}
      </button>
      <span class="verify-progress" aria-live="polite">
        {waiting > 0 && `${waiting} verifying · `}
        {queue.queued + queue.running > 0
          ? `queue: ${queue.queued} waiting, ${queue.running} running`
          : "queue empty"}
        {task && checked > 0 && ` · ${verified} verified`}
      </span>
      {problem && (
        <span role="alert" class="fail">
          {problem}
        </span>
      )}
    </section>
  );
}
