/**
 * The HTTP API as the browser sees it (design.md §3): typed calls, and one error type that carries
 * the server's `{"error":{"code","message"}}` so pages can tell a wrong code from a locked session.
 */
import type { PublicTask, Snippet, Track } from "../server/packs/format.js";
import type { RunReport } from "../sandbox/events.js";

export type { PublicTask };

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

export interface PackSummary {
  id: string;
  title: string;
  track: Track;
  /** Uploaded through the start page rather than shipped with the server. */
  uploaded?: boolean;
  tasks: { id: string; title: string }[];
}

/** A task with what has been revealed to the caller (GET /tasks). */
export type RevealedTask = PublicTask & { revealedHints?: string[]; solution?: string };

export interface HintRequest {
  id: number;
  participantId: string;
  name: string;
  taskId: string;
  at: number;
  answered: boolean;
}

export interface Question {
  id: number;
  participantId: string;
  name: string;
  text: string;
  at: number;
  doneAt: number | null;
}

export interface CreatedSession {
  sessionId: string;
  hostKey: string;
  joinCode: string;
  hostUrl: string;
  joinUrl: string;
}

export interface Seat {
  sessionId: string;
  participantId: string;
  workspaceId: string;
  token: string;
}

export interface Me {
  sessionId: string;
  participantId: string;
  workspaceId: string;
  name: string;
}

/** A pair as the pairing routes return it. */
export interface PairView {
  workspaceId: string;
  members: [string, string];
  names: [string, string];
  driver: string;
  swapEveryMinutes: number | null;
  swappedAt: number;
}

export interface AutoPairResult {
  mode: "random" | "mixed";
  taskId?: string;
  pairs: PairView[];
  solo: { participantId: string; name: string } | null;
}

/** One line of the pair plan with how far it got. */
export interface PlannedPair {
  names: [string, string];
  status: "paired" | "waiting" | "taken";
  missing: string[];
  workspaceId: string | null;
}

/** What the dashboard needs of `GET /api/sessions/:sid`; other fields are ignored. */
export interface HostSession {
  title?: string;
  joinCode?: string;
  joinUrl?: string;
  /** Parsed defensively by the dashboard (see host/run-notices.ts). */
  participants?: unknown;
  pack: { id: string; title: string };
  exposition: Snippet[];
  tasks: PublicTask[];
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
  const parsed = (await response.json().catch(() => undefined)) as
    { error?: { code?: unknown; message?: unknown } } | undefined;
  const error = parsed?.error;
  throw new ApiError(
    response.status,
    typeof error?.code === "string" ? error.code : `http_${response.status}`,
    typeof error?.message === "string" ? error.message : `${response.status} ${response.statusText}`,
  );
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const text = await (await send(method, path, options)).text();
  try {
    return (text ? JSON.parse(text) : undefined) as T;
  } catch {
    return undefined as T;
  }
}

/** GETs a file the API serves as an attachment (it needs the bearer header, so a link cannot). */
async function download(path: string, token: string): Promise<{ blob: Blob; filename: string | null }> {
  const response = await send("GET", path, { token });
  return {
    blob: await response.blob(),
    filename: attachmentName(response.headers.get("content-disposition")),
  };
}

export const api = {
  packs: () => request<PackSummary[]>("GET", "/api/packs"),
  createSession: (pack: string, title?: string) =>
    request<CreatedSession>("POST", "/api/sessions", { body: title ? { pack, title } : { pack } }),
  join: (joinCode: string, name: string) => request<Seat>("POST", "/api/join", { body: { joinCode, name } }),
  me: (sessionId: string, token: string) =>
    request<Me>("GET", `/api/sessions/${encodeURIComponent(sessionId)}/me`, { token }),
  tasks: (sessionId: string, token: string) =>
    request<{ tasks: PublicTask[] }>("GET", `/api/sessions/${encodeURIComponent(sessionId)}/tasks`, {
      token,
    }),
  session: (sessionId: string, hostKey: string) =>
    request<HostSession>("GET", `/api/sessions/${encodeURIComponent(sessionId)}`, { token: hostKey }),
  progress: (sessionId: string, hostKey: string) =>
    request<unknown>("GET", `/api/sessions/${encodeURIComponent(sessionId)}/progress`, { token: hostKey }),
  reveal: (
    sessionId: string,
    hostKey: string,
    body: { taskId: string; kind: "hint" | "solution"; participantId?: string },
  ) =>
    request<{ text: string }>("POST", `/api/sessions/${encodeURIComponent(sessionId)}/reveals`, {
      token: hostKey,
      body,
    }),
  askForHint: (sessionId: string, token: string, taskId: string) =>
    request<unknown>("POST", `/api/sessions/${encodeURIComponent(sessionId)}/hint-requests`, {
      token,
      body: { taskId },
    }),
  hintRequests: (sessionId: string, hostKey: string) =>
    request<{ requests: HintRequest[] }>(
      "GET",
      `/api/sessions/${encodeURIComponent(sessionId)}/hint-requests`,
      { token: hostKey },
    ),
  ask: (sessionId: string, token: string, text: string) =>
    request<unknown>("POST", `/api/sessions/${encodeURIComponent(sessionId)}/questions`, {
      token,
      body: { text },
    }),
  questions: (sessionId: string, hostKey: string) =>
    request<{ questions: Question[] }>("GET", `/api/sessions/${encodeURIComponent(sessionId)}/questions`, {
      token: hostKey,
    }),
  questionDone: (sessionId: string, hostKey: string, id: number) =>
    request<unknown>("POST", `/api/sessions/${encodeURIComponent(sessionId)}/questions/${id}/done`, {
      token: hostKey,
    }),
  pair: (
    sessionId: string,
    hostKey: string,
    participantIds: [string, string],
    swapEveryMinutes: number | null,
  ) =>
    request<PairView>("POST", `/api/sessions/${encodeURIComponent(sessionId)}/pairs`, {
      token: hostKey,
      body: { participantIds, swapEveryMinutes },
    }),
  autoPair: (sessionId: string, hostKey: string, mode: "random" | "mixed", swapEveryMinutes: number | null) =>
    request<AutoPairResult>("POST", `/api/sessions/${encodeURIComponent(sessionId)}/pairs/auto`, {
      token: hostKey,
      body: { mode, swapEveryMinutes },
    }),
  unpair: (sessionId: string, hostKey: string, workspaceId: string) =>
    request<unknown>(
      "DELETE",
      `/api/sessions/${encodeURIComponent(sessionId)}/pairs/${encodeURIComponent(workspaceId)}`,
      { token: hostKey },
    ),
  swapRoles: (sessionId: string, hostKey: string, workspaceId: string) =>
    request<PairView>(
      "POST",
      `/api/sessions/${encodeURIComponent(sessionId)}/pairs/${encodeURIComponent(workspaceId)}/swap`,
      { token: hostKey },
    ),
  pairPlan: (sessionId: string, hostKey: string) =>
    request<{ pairs: PlannedPair[] }>("GET", `/api/sessions/${encodeURIComponent(sessionId)}/pair-plan`, {
      token: hostKey,
    }),
  setPairPlan: (sessionId: string, hostKey: string, text: string) =>
    request<{ pairs: PlannedPair[] }>("PUT", `/api/sessions/${encodeURIComponent(sessionId)}/pair-plan`, {
      token: hostKey,
      body: { text },
    }),
  /** Host: one workspace (waits for the result) or, without `workspaceId`, every workspace (202). */
  verify: (sessionId: string, hostKey: string, body: { taskId: string; workspaceId?: string }) =>
    request<unknown>("POST", `/api/sessions/${encodeURIComponent(sessionId)}/verify`, {
      token: hostKey,
      body,
    }),
  summary: (sessionId: string, hostKey: string) =>
    request<unknown>("GET", `/api/sessions/${encodeURIComponent(sessionId)}/summary`, { token: hostKey }),
  summaryLink: (sessionId: string, hostKey: string, body: { names: boolean }) =>
    request<{ url: string; expiresAt: number }>(
      "POST",
      `/api/sessions/${encodeURIComponent(sessionId)}/summary-link`,
      { token: hostKey, body },
    ),
  sharedSummary: (sessionId: string, summaryToken: string) =>
    request<unknown>("GET", `/api/summaries/${encodeURIComponent(sessionId)}`, { token: summaryToken }),
  /** Host: progress as CSV, or every workspace's code (with progress.csv and summary.json) as a zip. */
  exportFile: (sessionId: string, hostKey: string, format: "csv" | "zip") =>
    download(`/api/sessions/${encodeURIComponent(sessionId)}/export?format=${format}`, hostKey),
  reportRun: (sessionId: string, token: string, report: RunReport) =>
    request<unknown>("POST", `/api/sessions/${encodeURIComponent(sessionId)}/runs`, { token, body: report }),
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
