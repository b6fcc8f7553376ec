/**
 * `GET /api/sessions/:sid/progress`: per participant and task, the latest run, checks passed, run
 * count, and the latest server-side verification of the participant's workspace; and the verify
 * queue. The dashboard loads its first state from it; the CSV export is made from it.
 */
import { z } from "zod";
import { verifyQueueSchema } from "./events.js";
import { checkResultSchema, reportErrorSchema, runReportSchema, runStatus } from "./run-report.js";

/** A verification as the progress view shows it. */
export const verificationSummarySchema = z.object({
  id: z.number(),
  at: z.number(),
  verified: z.boolean(),
  status: runStatus,
  checksPassed: z.number(),
  checksTotal: z.number(),
  checks: z.array(checkResultSchema),
  error: reportErrorSchema.extend({ module: z.string().optional() }).optional(),
});
export type VerificationSummary = z.infer<typeof verificationSummarySchema>;

export const taskProgressSchema = z.object({
  runs: z.number(),
  checksPassed: z.number(),
  checksTotal: z.number(),
  /** The latest run's report with the run's id and time; null before the first run. */
  latestRun: runReportSchema.extend({ id: z.number(), at: z.number() }).nullable(),
  /** Null when never verified. */
  verified: verificationSummarySchema.nullable(),
});
export type TaskProgress = z.infer<typeof taskProgressSchema>;

export const participantProgressSchema = z.object({
  participantId: z.string(),
  name: z.string(),
  workspaceId: z.string(),
  /** taskId → progress, for every task of the pack. */
  tasks: z.record(z.string(), taskProgressSchema),
});
export type ParticipantProgress = z.infer<typeof participantProgressSchema>;

/** The progress read model, as the session's progress is computed (without the queue). */
export const sessionProgressSchema = z.object({
  sessionId: z.string(),
  tasks: z.array(z.object({ id: z.string(), title: z.string() })),
  participants: z.array(participantProgressSchema),
});
export type SessionProgress = z.infer<typeof sessionProgressSchema>;

/** What `GET /progress` answers: the progress and the verify queue. */
export const progressSchema = sessionProgressSchema.extend({ verifyQueue: verifyQueueSchema });
export type Progress = z.infer<typeof progressSchema>;
