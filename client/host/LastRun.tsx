/**
 * A participant's latest run of the task shown while following them: its console output, error,
 * checks, and metrics drawn as charts, all from the stored run report (client/run/last-run.ts).
 * Everything in it is the attendee's text and is rendered as text nodes.
 */
import { useMemo } from "preact/hooks";
import type { PublicTask } from "../api.js";
import { outcomeFromReport } from "../run/last-run.js";
import { Checks, Console, Plots, RunError } from "../common/Output.js";
import type { RunRecord } from "./progress.js";

export function LastRun({
  record,
  taskId,
  tasks,
  onGoToLine,
}: {
  record: RunRecord | undefined;
  /** The task shown (the run, if any, is of it). */
  taskId: string;
  tasks: PublicTask[];
  onGoToLine(line: number): void;
}) {
  const outcome = useMemo(() => (record ? outcomeFromReport(record.report) : null), [record]);
  if (!record || !outcome)
    return (
      <section class="last-run-output" aria-label="Last run">
        <h3>Last run</h3>
        <p class="muted">No run of {tasks.find((t) => t.id === taskId)?.title ?? taskId} yet.</p>
      </section>
    );
  const task = tasks.find((t) => t.id === record.report.taskId);
  return (
    <section class="last-run-output" aria-label="Last run">
      <h3>
        Last run{" "}
        <span class="muted">
          {task?.title ?? record.report.taskId}, {record.report.status === "ok" ? "finished" : "error"} at{" "}
          {new Date(record.at).toLocaleTimeString()}
        </span>
      </h3>
      <RunError outcome={outcome} onGoToLine={onGoToLine} />
      {record.report.output === undefined ? (
        <p class="muted">This run reported no console output.</p>
      ) : (
        <Console outcome={outcome} />
      )}
      <Checks outcome={outcome} />
      <Plots outcome={outcome} />
    </section>
  );
}
