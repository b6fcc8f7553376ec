/**
 * Records the server stores and sends as they are (in API answers and session events): a
 * verification, a reveal, a hint request, a question. Storage keeps these shapes (server/storage/types.ts).
 */
import { z } from "zod";
import { checkResultSchema, reportErrorSchema, runStatus } from "./run-report.js";

/** What a server-side verification of one workspace's code for one task found. */
export const verificationResultSchema = z.object({
  status: runStatus,
  /** Visible and hidden check results (hidden ones marked `hidden`). */
  checks: z.array(checkResultSchema),
  /** Why the run stopped, with the module it stopped in ("main.js", "checks.js", "hidden.js"). */
  error: reportErrorSchema
    .extend({
      module: z.string().optional(),
      /** Raised while a hidden check module ran: an attendee sees only its kind (docs/api.md). */
      inHiddenCheck: z.literal(true).optional(),
    })
    .optional(),
  durationMs: z.number(),
  /** The code finished without error and passed every check, at least one of each kind the task has. */
  verified: z.boolean(),
});
export type VerificationResult = z.infer<typeof verificationResultSchema>;

export const verificationRecordSchema = z.object({
  id: z.number(),
  sessionId: z.string(),
  workspaceId: z.string(),
  taskId: z.string(),
  /** "host", or the id of the participant who asked. */
  requestedBy: z.string(),
  result: verificationResultSchema,
  at: z.number(),
});
export type VerificationRecord = z.infer<typeof verificationRecordSchema>;

/** The host showed a task's next hint or its reference solution, to everyone or to one participant. */
export const revealRecordSchema = z.object({
  id: z.number(),
  sessionId: z.string(),
  taskId: z.string(),
  kind: z.enum(["hint", "solution"]),
  /** Which hint (0-based) for kind "hint"; null for the solution. */
  hintIndex: z.number().nullable(),
  /** The one participant it was shown to; null: everyone. */
  participantId: z.string().nullable(),
  at: z.number(),
});
export type RevealRecord = z.infer<typeof revealRecordSchema>;

/** An attendee asked for a hint on a task. */
export const hintRequestRecordSchema = z.object({
  id: z.number(),
  sessionId: z.string(),
  participantId: z.string(),
  taskId: z.string(),
  at: z.number(),
});
export type HintRequestRecord = z.infer<typeof hintRequestRecordSchema>;

/** A question an attendee posted for the host. */
export const questionRecordSchema = z.object({
  id: z.number(),
  sessionId: z.string(),
  participantId: z.string(),
  text: z.string(),
  at: z.number(),
  /** When the host marked it done (answered or dismissed); null while open. */
  doneAt: z.number().nullable(),
});
export type QuestionRecord = z.infer<typeof questionRecordSchema>;
