/**
 * Live events of a session for the host dashboard, served as Server-Sent Events on
 * `GET /api/sessions/:sid/events`: the SSE event name is the `type`, its data the JSON `data`.
 * The dashboard parses each event's data with {@link sessionEventData}[type].
 */
import { z } from "zod";
import {
  hintRequestRecordSchema,
  questionRecordSchema,
  revealRecordSchema,
  verificationRecordSchema,
} from "./records.js";
import { runReportSchema } from "./run-report.js";

/** A participant as the roster and the `participant` event carry it. */
export const participantSchema = z.object({
  participantId: z.string(),
  name: z.string(),
  workspaceId: z.string(),
  joinedAt: z.number(),
});
export type ParticipantView = z.infer<typeof participantSchema>;

/** A run was reported. */
export const runNoticeSchema = z.object({
  id: z.number(),
  participantId: z.string(),
  workspaceId: z.string(),
  taskId: z.string(),
  at: z.number(),
  report: runReportSchema,
});
export type RunNotice = z.infer<typeof runNoticeSchema>;

/** How many verifications wait and run for the session. */
export const verifyQueueSchema = z.object({ queued: z.number(), running: z.number() });
export type VerifyQueueState = z.infer<typeof verifyQueueSchema>;

/** The data of each event type. */
export const sessionEventData = {
  participant: participantSchema,
  run: runNoticeSchema,
  verify: verificationRecordSchema,
  "verify-queue": verifyQueueSchema,
  reveal: revealRecordSchema,
  "hint-request": hintRequestRecordSchema.extend({ name: z.string() }),
  question: questionRecordSchema.extend({ name: z.string() }),
  "question-done": z.object({ id: z.number(), doneAt: z.number() }),
  pairs: z.object({
    change: z.enum(["paired", "unpaired", "swapped"]),
    workspaceId: z.string(),
    /** The member who now works elsewhere, and the workspace it left. */
    moved: z.object({ participantId: z.string(), fromWorkspaceId: z.string() }).optional(),
  }),
} as const;

export type SessionEventType = keyof typeof sessionEventData;
export type SessionEventOf<T extends SessionEventType> = z.infer<(typeof sessionEventData)[T]>;
export type SessionEvent = {
  [T in SessionEventType]: { type: T; data: SessionEventOf<T> };
}[SessionEventType];

/** The first event of every stream: the session it is about. */
export const readyEventSchema = z.object({ sessionId: z.string() });

/**
 * The data of an SSE event of type `type` parsed against the contract; null when it is not JSON or
 * does not fit (a malformed event is skipped, never shown raw).
 */
export function parseSessionEvent<T extends SessionEventType>(
  type: T,
  data: string,
): SessionEventOf<T> | null {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = sessionEventData[type].safeParse(raw);
  return parsed.success ? (parsed.data as SessionEventOf<T>) : null;
}
