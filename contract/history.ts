/**
 * Workspace history answers (docs/api.md "History"): the kept versions of a workspace's files, each
 * with the run it was taken at and that run's outcome, and one version's text. One schema for the
 * server's answers and the client's parsing, so a timeline UI can build on them.
 */
import { z } from "zod";
import { runStatus, type RunReport } from "./run-report.js";

/** What a version's run did: enough for a timeline marker (passed, failed, first failing check, NaN). */
export const historyRunSchema = z.strictObject({
  id: z.number().int(),
  taskId: z.string(),
  status: runStatus,
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Name of the first check that failed, or null when none did. */
  firstFailing: z.string().nullable(),
  /** Metric series that went NaN or infinite in the run. */
  nonFinite: z.array(z.string()),
  /** Each check's name and outcome, in the run's order (a timeline's "first pass of check k"). */
  checks: z.array(z.strictObject({ name: z.string(), passed: z.boolean() })),
});
export type HistoryRun = z.infer<typeof historyRunSchema>;

/** One kept version of a file, without its text. */
export const historyVersionSchema = z.strictObject({
  id: z.number().int().positive(),
  /** The file: a task id. */
  file: z.string(),
  /** When it was taken (ms since the epoch). */
  at: z.number(),
  /** The run it was taken at; null for a version taken while editing (at least one a minute). */
  runId: z.number().int().nullable(),
  /** The run's outcome, when `runId` names a stored run. */
  run: historyRunSchema.nullable(),
  /** Length of the text in UTF-16 code units. */
  length: z.number().int().nonnegative(),
});
export type HistoryVersion = z.infer<typeof historyVersionSchema>;

/** `GET /api/sessions/:sid/workspaces/:wid/history`: versions oldest first. */
export const workspaceHistorySchema = z.strictObject({
  workspaceId: z.string(),
  versions: z.array(historyVersionSchema),
});
export type WorkspaceHistory = z.infer<typeof workspaceHistorySchema>;

/** `GET …/history/:vid`: one version with its text. */
export const historyTextSchema = historyVersionSchema.extend({ text: z.string() });
export type HistoryText = z.infer<typeof historyTextSchema>;

/** `POST …/history/:vid/restore` answers the version restored and the file's new length. */
export const restoredSchema = z.strictObject({
  versionId: z.number().int().positive(),
  file: z.string(),
  length: z.number().int().nonnegative(),
});
export type Restored = z.infer<typeof restoredSchema>;

/** One line of an export's `history.jsonl`. */
export const historyLineSchema = z.strictObject({
  at: z.number(),
  runId: z.number().int().nullable(),
  file: z.string(),
  text: z.string(),
});
export type HistoryLine = z.infer<typeof historyLineSchema>;

/** The marker facts of a run report. */
export function historyRun(id: number, report: RunReport): HistoryRun {
  const failed = report.checks.filter((c) => !c.passed);
  return {
    id,
    taskId: report.taskId,
    status: report.status,
    passed: report.checks.length - failed.length,
    failed: failed.length,
    firstFailing: failed[0]?.name ?? null,
    nonFinite: Object.keys(report.nonFinite ?? {}),
    checks: report.checks.map((c) => ({ name: c.name, passed: c.passed })),
  };
}
