/**
 * The session summary (what the host shares after a session; `GET /api/sessions/:sid/summary` and
 * `GET /api/summaries/:sid`): per task who completed it and who is verified, the broadcasts, and
 * the class-wide curves.
 */
import { z } from "zod";
import { nonFiniteMetricSchema } from "./run-report.js";

export const summaryBroadcastSchema = z.object({
  at: z.number(),
  markdown: z.string(),
  code: z.string().optional(),
});
export type SummaryBroadcast = z.infer<typeof summaryBroadcastSchema>;

/** One line of a task: an attendee, or a pair as one unit (contract/units.ts). */
export const summaryPersonSchema = z.object({
  /** "Ada", or a pair's "Ada & Bob". */
  name: z.string(),
  runs: z.number(),
  /** Every visible check passed in at least one run of a member, or the workspace is verified. */
  completed: z.boolean(),
  /** The latest server-side verification of the person's workspace; null when never verified. */
  verified: z.boolean().nullable(),
  /** The unit's workspace, for its history timeline; only in a summary with names shown. */
  workspaceId: z.string().optional(),
});
export type SummaryPerson = z.infer<typeof summaryPersonSchema>;

export const summaryCurveSchema = z.object({
  name: z.string(),
  values: z.array(z.number()),
  /** Training steps the run logged (the values are spread evenly over them); absent: one per value. */
  steps: z.number().optional(),
  nonFinite: nonFiniteMetricSchema.optional(),
});
export type SummaryCurve = z.infer<typeof summaryCurveSchema>;

export const taskSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  counts: z.object({ attempted: z.number(), completed: z.number(), verified: z.number() }),
  /** Every unit (attendee or pair) that ran or was verified on the task, in join order. */
  people: z.array(summaryPersonSchema),
  /** metric → one curve per person whose latest run on the task reported it. */
  curves: z.record(z.string(), z.array(summaryCurveSchema)),
});
export type TaskSummary = z.infer<typeof taskSummarySchema>;

export const sessionSummarySchema = z.object({
  sessionId: z.string(),
  title: z.string(),
  pack: z.object({ id: z.string(), title: z.string(), track: z.string() }),
  createdAt: z.number(),
  generatedAt: z.number(),
  /** "anonymised": names replaced by "Participant 1…" in join order. */
  names: z.enum(["shown", "anonymised"]),
  participants: z.number(),
  tasks: z.array(taskSummarySchema),
  broadcasts: z.array(summaryBroadcastSchema),
});
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

/** `POST /api/sessions/:sid/summary-link`. */
export const summaryLinkSchema = z.object({ url: z.string(), expiresAt: z.number() });
export type SummaryLink = z.infer<typeof summaryLinkSchema>;
