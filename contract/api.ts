/**
 * The HTTP API (docs/api.md): the body of every request and of every JSON answer. The server parses
 * requests with these schemas and types its answers with the inferred types; the client parses the
 * answers with them.
 */
import { z } from "zod";
import { participantSchema, verifyQueueSchema } from "./events.js";
import {
  hintRequestRecordSchema,
  questionRecordSchema,
  revealRecordSchema,
  verificationRecordSchema,
} from "./records.js";
import { id } from "./text.js";

// ---- requests

/** Longest display name, in UTF-16 code units (JavaScript's string length). */
export const MAX_NAME_LENGTH = 60;

/** A participant's display name: trimmed, 1–60 characters, no control characters. */
const displayName = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, "name is empty")
      .max(MAX_NAME_LENGTH, `name is longer than ${MAX_NAME_LENGTH} characters`)
      // eslint-disable-next-line no-control-regex
      .regex(/^[^\u0000-\u001f\u007f]*$/, "name contains control characters"),
  );

export const createSessionBody = z.strictObject({
  pack: z.string().min(1).max(64),
  title: z.string().trim().min(1).max(200).optional(),
});

export const joinBody = z.strictObject({
  joinCode: z.string().min(1).max(32),
  name: displayName,
});

export const revealBody = z.strictObject({
  taskId: id,
  kind: z.enum(["hint", "solution"]),
  participantId: id.optional(),
});
export type RevealRequest = z.infer<typeof revealBody>;

export const hintRequestBody = z.strictObject({ taskId: id });

/** A question: trimmed, 1–2000 characters (newlines allowed, other control characters not). */
export const questionBody = z.strictObject({
  text: z
    .string()
    .transform((s) => s.trim())
    .pipe(
      z
        .string()
        .min(1, "question is empty")
        .max(2000, "question is longer than 2000 characters")
        // eslint-disable-next-line no-control-regex
        .regex(/^[^\u0000-\u0009\u000b-\u001f\u007f]*$/, "question contains control characters"),
    ),
});

/** Minutes between driver/navigator swap reminders; absent or null: no reminder. */
const swapEveryMinutes = z.number().int().min(1).max(240).nullable().optional();

export const pairBody = z.strictObject({
  participantIds: z.tuple([id, id]),
  swapEveryMinutes,
});

export const autoPairBody = z.strictObject({
  mode: z.enum(["random", "mixed"]),
  taskId: id.optional(),
  swapEveryMinutes,
});

/** A pair plan as JSON: `{pairs: [["Ada", "Grace"], …]}`, or `{text}` in the name-list format. */
export const pairPlanBody = z.union([
  z.strictObject({ pairs: z.array(z.tuple([z.string().max(200), z.string().max(200)])).max(1000) }),
  z.strictObject({ text: z.string().max(100_000) }),
]);

export const verifyBody = z.strictObject({
  workspaceId: id.optional(),
  taskId: id,
});
export type VerifyRequest = z.infer<typeof verifyBody>;

/** A summary share link: names shown or anonymised, valid for `days` (default 30). */
export const summaryLinkBody = z.strictObject({
  names: z.boolean().default(true),
  days: z.number().int().min(1).max(365).default(30),
});

// ---- answers

/** The server's error answer: `{"error":{"code","message"}}`. */
export const errorAnswerSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const trackSchema = z.enum(["workshop", "seminar", "demo"]);
export const levelSchema = z.enum(["beginner", "intermediate", "advanced"]);

/** `GET /api/packs`: one entry per installed pack. */
export const packSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  track: trackSchema,
  duration: z.number(),
  level: levelSchema,
  summary: z.string().optional(),
  tasks: z.array(z.object({ id: z.string(), title: z.string() })),
  /** Set on packs a host uploaded from the start page (not shipped in sessions/). */
  uploaded: z.literal(true).optional(),
});
export type PackSummary = z.infer<typeof packSummarySchema>;

/** `POST /api/sessions`. */
export const createdSessionSchema = z.object({
  sessionId: z.string(),
  hostKey: z.string(),
  joinCode: z.string(),
  hostUrl: z.string(),
  joinUrl: z.string(),
});
export type CreatedSession = z.infer<typeof createdSessionSchema>;

/** `POST /api/join`: the attendee's seat and token. */
export const seatSchema = z.object({
  sessionId: z.string(),
  participantId: z.string(),
  workspaceId: z.string(),
  /** The name as seated: as typed, or with a suffix (" (2)") when somebody here already has it. */
  name: z.string(),
  token: z.string(),
});
export type Seat = z.infer<typeof seatSchema>;

/** `GET /api/sessions/:sid/me`. */
export const meSchema = z.object({
  sessionId: z.string(),
  participantId: z.string(),
  workspaceId: z.string(),
  name: z.string(),
});
export type Me = z.infer<typeof meSchema>;

/** What an attendee may see of a task before the host reveals more: no solution, no hidden checks. */
export const publicTaskSchema = z.object({
  id: z.string(),
  title: z.string(),
  instructions: z.string(),
  starter: z.string(),
  checks: z.string(),
  modules: z.array(z.string()).optional(),
  seed: z.number().optional(),
  packModules: z.record(z.string(), z.string()).optional(),
  timeBudgetMs: z.number(),
  hintCount: z.number(),
  /** task.json "accelerate" when it asks for more than the default wasm kernels. */
  accelerate: z.enum(["auto", "gpu"]).optional(),
});
export type PublicTask = z.infer<typeof publicTaskSchema>;

/** A task with what has been revealed to the caller. */
export const revealedTaskSchema = publicTaskSchema.extend({
  /** Hints revealed to this participant (or to everyone), in order. */
  revealedHints: z.array(z.string()),
  /** The reference solution, once revealed. */
  solution: z.string().optional(),
});
export type RevealedTask = z.infer<typeof revealedTaskSchema>;

/** `GET /api/sessions/:sid/tasks`. */
export const tasksSchema = z.object({ tasks: z.array(revealedTaskSchema) });

/** `GET /api/sessions/:sid`: the host's view of the session. */
export const hostSessionSchema = z.object({
  sessionId: z.string(),
  title: z.string(),
  pack: z.object({ id: z.string(), title: z.string(), track: trackSchema }),
  joinCode: z.string(),
  joinUrl: z.string(),
  createdAt: z.number(),
  /** The session doc's meta map as stored (see contract/session-doc.ts). */
  state: z.record(z.string(), z.unknown()),
  participants: z.array(participantSchema),
  workspaces: z.array(
    z.object({ workspaceId: z.string(), participantIds: z.array(z.string()), createdAt: z.number() }),
  ),
  exposition: z.array(z.object({ id: z.string(), markdown: z.string() })),
  tasks: z.array(publicTaskSchema),
});
export type HostSession = z.infer<typeof hostSessionSchema>;

/** `POST /api/sessions/:sid/runs`. */
export const runAckSchema = z.object({ id: z.number(), at: z.number() });

/** `POST /api/sessions/:sid/reveals`: the reveal and the text it showed. */
export const revealAnswerSchema = revealRecordSchema.extend({ text: z.string() });
export type RevealAnswer = z.infer<typeof revealAnswerSchema>;

/** A hint request with its asker's name, and whether a hint was revealed to them since. */
export const hintRequestViewSchema = hintRequestRecordSchema.extend({
  name: z.string(),
  /** A hint for the task has been revealed to the asker (or to everyone) since the request. */
  answered: z.boolean(),
});
export type HintRequestView = z.infer<typeof hintRequestViewSchema>;
export const hintRequestsSchema = z.object({ requests: z.array(hintRequestViewSchema) });

/** A question with its asker's display name. */
export const questionViewSchema = questionRecordSchema.extend({ name: z.string() });
export type QuestionView = z.infer<typeof questionViewSchema>;
export const questionsSchema = z.object({ questions: z.array(questionViewSchema) });

/** `POST /api/sessions/:sid/verify`: one workspace's result, or (host, no workspace) how many were queued. */
export const verifyAnswerSchema = z.union([
  verificationRecordSchema,
  z.object({ queued: z.number(), verifyQueue: verifyQueueSchema }),
]);
export type VerifyAnswer = z.infer<typeof verifyAnswerSchema>;

/** A pair as the session doc holds it, keyed by the pair's workspace id. */
export const pairStateSchema = z.object({
  /** The workspace's first owner first. */
  members: z.tuple([z.string(), z.string()]),
  /** Who types; the other navigates. */
  driver: z.string(),
  /** Remind the pair to swap roles this often; null: no reminder. */
  swapEveryMinutes: z.number().nullable(),
  /** When the pair was made or last swapped (epoch ms). */
  swappedAt: z.number(),
});
export type PairState = z.infer<typeof pairStateSchema>;

/** A pair as the pairing routes return it. */
export const pairViewSchema = pairStateSchema.extend({
  workspaceId: z.string(),
  names: z.tuple([z.string(), z.string()]),
});
export type PairView = z.infer<typeof pairViewSchema>;
export const pairsSchema = z.object({ pairs: z.array(pairViewSchema) });

export const autoPairResultSchema = z.object({
  mode: z.enum(["random", "mixed"]),
  /** The task "mixed" ranked by; absent for "random". */
  taskId: z.string().optional(),
  pairs: z.array(pairViewSchema),
  /** Who stayed solo because the count was odd. */
  solo: z.object({ participantId: z.string(), name: z.string() }).nullable(),
});
export type AutoPairResult = z.infer<typeof autoPairResultSchema>;

/** `DELETE /pairs/:wid`: participant id → the workspace each member works in now. */
export const unpairedSchema = z.object({ workspaceIds: z.record(z.string(), z.string()) });
export type Unpaired = z.infer<typeof unpairedSchema>;

/** One line of the pair plan with how far it got. */
export const plannedPairSchema = z.object({
  names: z.tuple([z.string(), z.string()]),
  /** paired: both work together; waiting: someone has not joined; taken: both joined, but one is paired with someone else. */
  status: z.enum(["paired", "waiting", "taken"]),
  /** Planned names nobody has joined with yet. */
  missing: z.array(z.string()),
  workspaceId: z.string().nullable(),
});
export type PlannedPair = z.infer<typeof plannedPairSchema>;
export const pairPlanSchema = z.object({ pairs: z.array(plannedPairSchema) });
