/**
 * The HTTP API as the browser sees it (docs/api.md): one call per route, each answer parsed with its
 * schema from the contract (contract/api.ts), and one error type that carries the server's
 * `{"error":{"code","message"}}` so pages can tell a wrong code from a locked session.
 */
import { z } from "zod";
import {
  autoPairResultSchema,
  createdSessionSchema,
  errorAnswerSchema,
  hintRequestsSchema,
  hostSessionSchema,
  meSchema,
  packSummarySchema,
  pairPlanSchema,
  pairViewSchema,
  questionsSchema,
  revealAnswerSchema,
  runAckSchema,
  seatSchema,
  tasksSchema,
  unpairedSchema,
  verifyAnswerSchema,
} from "../contract/api.js";
import { historyTextSchema, restoredSchema, workspaceHistorySchema } from "../contract/history.js";
import { progressSchema } from "../contract/progress.js";
import { hintRequestRecordSchema, questionRecordSchema } from "../contract/records.js";
import { runReportSchema, type RunReport } from "../contract/run-report.js";
import { sessionSummarySchema, summaryLinkSchema } from "../contract/summary.js";

export type {
  AutoPairResult,
  CreatedSession,
  HintRequestView,
  HostSession,
  Me,
  PackSummary,
  PairView,
  PlannedPair,
  PublicTask,
  QuestionView,
  RevealedTask,
  Seat,
  VerifyAnswer,
} from "../contract/api.js";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

interface RequestOptions {
  body?: unknown;
  token?: string;
}

/** The file name a `content-disposition: attachment; filename="…"` header names, if any. */
export function attachmentName(header: string | null): string | null {
  const match = header ? /filename="([^"]+)"/.exec(header) : null;
  return match?.[1] ?? null;
}

/**
 * Sends one API request and returns the response when it is 2xx; otherwise throws an ApiError
 * carrying the server's `{error:{code,message}}` (or the status when the body has none).
 */
async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, "network", "The server cannot be reached. Check your connection and try again.");
  }
  if (response.ok) return response;
  const answer = errorAnswerSchema.safeParse(await response.json().catch(() => undefined));
  if (answer.success) throw new ApiError(response.status, answer.data.error.code, answer.data.error.message);
  throw new ApiError(response.status, `http_${response.status}`, `${response.status} ${response.statusText}`);
}

/** Sends one API request and parses its JSON answer with `schema`; an answer that does not fit is an ApiError. */
async function request<S extends z.ZodType>(
  schema: S,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<z.output<S>> {
  const response = await send(method, path, options);
  const parsed = schema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) {
    throw new ApiError(response.status, "invalid_answer", "The server sent an answer this page cannot read.");
  }
  return parsed.data;
}

const session = (sessionId: string) => `/api/sessions/${encodeURIComponent(sessionId)}`;

/** A workspace's history route, through the session (host, attendee) or a summary share link. */
const historyPath = (sessionId: string, workspaceId: string, via: "session" | "summary") =>
  `/api/${via === "session" ? "sessions" : "summaries"}/${encodeURIComponent(sessionId)}/workspaces/${encodeURIComponent(workspaceId)}/history`;

/** GETs a file the API serves as an attachment (it needs the bearer header, so a link cannot). */
async function download(path: string, token: string): Promise<{ blob: Blob; filename: string | null }> {
  const response = await send("GET", path, { token });
  return {
    blob: await response.blob(),
    filename: attachmentName(response.headers.get("content-disposition")),
  };
}

export const api = {
  packs: () => request(packSummarySchema.array(), "GET", "/api/packs"),
  createSession: (pack: string, title?: string) =>
    request(createdSessionSchema, "POST", "/api/sessions", { body: title ? { pack, title } : { pack } }),
  join: (joinCode: string, name: string) =>
    request(seatSchema, "POST", "/api/join", { body: { joinCode, name } }),
  me: (sessionId: string, token: string) => request(meSchema, "GET", `${session(sessionId)}/me`, { token }),
  tasks: (sessionId: string, token: string) =>
    request(tasksSchema, "GET", `${session(sessionId)}/tasks`, { token }),
  session: (sessionId: string, hostKey: string) =>
    request(hostSessionSchema, "GET", session(sessionId), { token: hostKey }),
  progress: (sessionId: string, hostKey: string) =>
    request(progressSchema, "GET", `${session(sessionId)}/progress`, { token: hostKey }),
  reveal: (
    sessionId: string,
    hostKey: string,
    body: { taskId: string; kind: "hint" | "solution"; participantId?: string },
  ) => request(revealAnswerSchema, "POST", `${session(sessionId)}/reveals`, { token: hostKey, body }),
  askForHint: (sessionId: string, token: string, taskId: string) =>
    request(hintRequestRecordSchema, "POST", `${session(sessionId)}/hint-requests`, {
      token,
      body: { taskId },
    }),
  hintRequests: (sessionId: string, hostKey: string) =>
    request(hintRequestsSchema, "GET", `${session(sessionId)}/hint-requests`, { token: hostKey }),
  ask: (sessionId: string, token: string, text: string) =>
    request(questionRecordSchema, "POST", `${session(sessionId)}/questions`, { token, body: { text } }),
  questions: (sessionId: string, hostKey: string) =>
    request(questionsSchema, "GET", `${session(sessionId)}/questions`, { token: hostKey }),
  questionDone: (sessionId: string, hostKey: string, id: number) =>
    request(questionRecordSchema, "POST", `${session(sessionId)}/questions/${id}/done`, { token: hostKey }),
  pair: (
    sessionId: string,
    hostKey: string,
    participantIds: [string, string],
    swapEveryMinutes: number | null,
  ) =>
    request(pairViewSchema, "POST", `${session(sessionId)}/pairs`, {
      token: hostKey,
      body: { participantIds, swapEveryMinutes },
    }),
  autoPair: (sessionId: string, hostKey: string, mode: "random" | "mixed", swapEveryMinutes: number | null) =>
    request(autoPairResultSchema, "POST", `${session(sessionId)}/pairs/auto`, {
      token: hostKey,
      body: { mode, swapEveryMinutes },
    }),
  unpair: (sessionId: string, hostKey: string, workspaceId: string) =>
    request(unpairedSchema, "DELETE", `${session(sessionId)}/pairs/${encodeURIComponent(workspaceId)}`, {
      token: hostKey,
    }),
  swapRoles: (sessionId: string, hostKey: string, workspaceId: string) =>
    request(pairViewSchema, "POST", `${session(sessionId)}/pairs/${encodeURIComponent(workspaceId)}/swap`, {
      token: hostKey,
    }),
  pairPlan: (sessionId: string, hostKey: string) =>
    request(pairPlanSchema, "GET", `${session(sessionId)}/pair-plan`, { token: hostKey }),
  setPairPlan: (sessionId: string, hostKey: string, text: string) =>
    request(pairPlanSchema, "PUT", `${session(sessionId)}/pair-plan`, { token: hostKey, body: { text } }),
  /** Host: one workspace (waits for the result) or, without `workspaceId`, every workspace (202). */
  verify: (sessionId: string, hostKey: string, body: { taskId: string; workspaceId?: string }) =>
    request(verifyAnswerSchema, "POST", `${session(sessionId)}/verify`, { token: hostKey, body }),
  summary: (sessionId: string, hostKey: string) =>
    request(sessionSummarySchema, "GET", `${session(sessionId)}/summary`, { token: hostKey }),
  summaryLink: (sessionId: string, hostKey: string, body: { names: boolean }) =>
    request(summaryLinkSchema, "POST", `${session(sessionId)}/summary-link`, { token: hostKey, body }),
  sharedSummary: (sessionId: string, summaryToken: string) =>
    request(sessionSummarySchema, "GET", `/api/summaries/${encodeURIComponent(sessionId)}`, {
      token: summaryToken,
    }),
  /** A workspace's kept versions (host: any; attendee: its own); `summaryToken` reads through a share link. */
  history: (sessionId: string, token: string, workspaceId: string, via: "session" | "summary" = "session") =>
    request(workspaceHistorySchema, "GET", historyPath(sessionId, workspaceId, via), { token }),
  historyText: (
    sessionId: string,
    token: string,
    workspaceId: string,
    versionId: number,
    via: "session" | "summary" = "session",
  ) =>
    request(historyTextSchema, "GET", `${historyPath(sessionId, workspaceId, via)}/${versionId}`, { token }),
  /** Attendee: makes a kept version its file's text again, as a new edit. */
  restoreVersion: (sessionId: string, token: string, workspaceId: string, versionId: number) =>
    request(
      restoredSchema,
      "POST",
      `${historyPath(sessionId, workspaceId, "session")}/${versionId}/restore`,
      {
        token,
      },
    ),
  /** Host: progress as CSV, or every workspace's code (with progress.csv and summary.json) as a zip. */
  exportFile: (sessionId: string, hostKey: string, format: "csv" | "zip") =>
    download(`${session(sessionId)}/export?format=${format}`, hostKey),
  /** Checks the report against the contract first: one the server would refuse is not sent. */
  reportRun: (sessionId: string, token: string, report: RunReport) => {
    const checked = runReportSchema.safeParse(report);
    if (!checked.success) {
      return Promise.reject(new ApiError(400, "invalid_body", z.prettifyError(checked.error)));
    }
    return request(runAckSchema, "POST", `${session(sessionId)}/runs`, { token, body: checked.data });
  },
};

/** A message for a failed join that tells the attendee what to do next. */
export function joinErrorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return "Something went wrong. Try again.";
  switch (error.status) {
    case 404:
      return "That code doesn't match an open session. Check the code and try again.";
    case 410:
      return "That session has ended.";
    case 403:
      return "The host has locked this session. Ask them to unlock it, then try again.";
    case 429:
      return "Too many attempts. Wait a moment and try again.";
    case 400:
      return error.message || "Check the code and your name.";
    case 0:
      return error.message;
    default:
      return `The server refused: ${error.message}`;
  }
}
