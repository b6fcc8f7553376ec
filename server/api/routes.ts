/**
 * The HTTP API (docs/api.md plus the client's additions; docs/api.md documents every route).
 */
import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { streamSSE } from "hono/streaming";
import type { Limits } from "../config.js";
import { isJoinCode, normaliseJoinCode } from "../auth/join-code.js";
import { RateLimit } from "../auth/rate-limit.js";
import type { Logger } from "../logger.js";
import type { SessionEvents } from "../session/events.js";
import type { SessionService } from "../session/service.js";
import type { HintService } from "../hints/service.js";
import type { QuestionService } from "../questions/service.js";
import type { VerifyService } from "../verify/service.js";
import type { PairingService } from "../pairing/service.js";
import { pairingRoutes } from "./pairing-routes.js";
import { authentication } from "./auth.js";
import type { SessionAccess } from "../session/access.js";
import type { ProgressReadModel } from "../session/progress.js";
import type { Progress } from "../../contract/progress.js";
import { notFound } from "../errors.js";
import { ApiError, badRequest } from "./errors.js";
import { readBody } from "./request.js";
import { summaryRoutes } from "./summary-routes.js";
import { clientAddress } from "../client-address.js";
import type { SummaryService } from "../summary/service.js";
import type { HistoryService } from "../history/service.js";
import { historyRoutes } from "./history-routes.js";
import {
  createSessionBody,
  hintRequestBody,
  joinBody,
  questionBody,
  revealBody,
  verifyBody,
} from "../../contract/api.js";
import { runReportBody } from "../../contract/run-report.js";

export interface ApiDeps {
  sessions: SessionService;
  access: SessionAccess;
  progress: ProgressReadModel;
  events: SessionEvents;
  verify: VerifyService;
  hints: HintService;
  questions: QuestionService;
  pairing: PairingService;
  summaries: SummaryService;
  history: HistoryService;
  limits: Limits;
  /** Take the client address from X-Forwarded-For (set only behind a proxy that appends to it). */
  trustProxy: boolean;
  log: Logger;
}

function addressOf(c: Context, trustProxy: boolean): string {
  let remote: string | undefined;
  try {
    remote = getConnInfo(c).remote.address;
  } catch {
    remote = undefined;
  }
  return clientAddress(c.req.header("x-forwarded-for"), remote, trustProxy);
}

export function apiRoutes(deps: ApiDeps): Hono {
  const {
    sessions,
    progress,
    events,
    verify,
    hints,
    questions,
    pairing,
    summaries,
    limits,
    trustProxy,
    log,
  } = deps;
  const api = new Hono();
  const auth = authentication(deps.access);
  const joinLimit = new RateLimit(limits.joinsPerMinute, 60_000);
  const runReport = runReportBody(limits.maxMetricPoints);

  api.use(
    "*",
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: () => {
        throw new ApiError(413, "body_too_large", "request body is larger than 1 MiB");
      },
    }),
  );

  api.get("/packs", (c) => c.json(sessions.packs.listings()));

  api.post("/sessions", async (c) => {
    const body = await readBody(c, createSessionBody);
    const created = await sessions.create(body.pack, body.title);
    log.info({ sessionId: created.sessionId, pack: body.pack }, "session created");
    return c.json(created, 201);
  });

  api.get("/sessions/:sid", auth.host, async (c) => {
    return c.json(await sessions.hostView(c.var.host.session));
  });

  api.get("/sessions/:sid/tasks", auth.caller, async (c) => {
    return c.json({ tasks: await hints.tasksFor(c.var.caller) });
  });

  api.get("/sessions/:sid/me", auth.attendee, (c) => {
    const { session, participant } = c.var.attendee;
    return c.json({
      sessionId: session.id,
      participantId: participant.id,
      workspaceId: participant.workspaceId,
      name: participant.name,
    });
  });

  api.post("/join", async (c) => {
    const address = addressOf(c, trustProxy);
    if (!joinLimit.take(address)) {
      const retry = joinLimit.retryAfterSeconds(address);
      throw new ApiError(429, "rate_limited", `too many joins from this address; retry in ${retry} s`, {
        "Retry-After": String(retry),
      });
    }
    const body = await readBody(c, joinBody);
    const code = normaliseJoinCode(body.joinCode);
    if (!isJoinCode(code)) throw notFound("unknown_join_code", "no session has this join code");
    const joined = await sessions.join(code, body.name);
    log.info({ sessionId: joined.sessionId, participantId: joined.participantId }, "participant joined");
    // A planned partner already here: the newcomer starts in the pair's workspace.
    const paired = await pairing.afterJoin(joined.sessionId, joined.participantId);
    return c.json(paired ? { ...joined, workspaceId: paired } : joined, 201);
  });

  api.post("/sessions/:sid/runs", auth.attendee, async (c) => {
    const report = await readBody(c, runReport);
    const run = await sessions.recordRun(c.var.attendee, report);
    return c.json({ id: run.id, at: run.at }, 201);
  });

  api.get("/sessions/:sid/progress", auth.host, async (c) => {
    const { session } = c.var.host;
    const answer: Progress = {
      ...(await progress.progress(session)),
      verifyQueue: verify.queueState(session.id),
    };
    return c.json(answer);
  });

  api.get("/sessions/:sid/export", auth.host, async (c) => {
    const { session } = c.var.host;
    const format = c.req.query("format") ?? "csv";
    if (format !== "csv" && format !== "zip") {
      throw badRequest("invalid_format", 'format must be "csv" or "zip"');
    }
    // Loaded on the first export (fflate's zip): not a startup cost of every server.
    const { progressCsv, workspaceZip } = await import("../export/export.js");
    const csv = progressCsv(await progress.progress(session));
    const stamp = new Date().toISOString().slice(0, 10);
    if (format === "csv") {
      return c.body(csv, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="scratchroom-${session.id}-${stamp}.csv"`,
      });
    }
    const summary = JSON.stringify(await summaries.summary(session, true), null, 2);
    const code = [];
    // One workspace at a time, like the code: a big class has many.
    for (const w of await sessions.workspaceCode(session)) {
      code.push({ ...w, history: await deps.history.lines(session, w.workspaceId) });
    }
    const zip = workspaceZip(code, csv, { "summary.json": summary });
    return c.body(zip.buffer.slice(zip.byteOffset, zip.byteOffset + zip.byteLength) as ArrayBuffer, 200, {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="scratchroom-${session.id}-${stamp}.zip"`,
    });
  });

  api.post("/sessions/:sid/reveals", auth.host, async (c) => {
    return c.json(await hints.reveal(c.var.host.session, await readBody(c, revealBody)), 201);
  });

  api.post("/sessions/:sid/hint-requests", auth.attendee, async (c) => {
    const { taskId } = await readBody(c, hintRequestBody);
    return c.json(await hints.requestHint(c.var.attendee, taskId), 201);
  });

  api.get("/sessions/:sid/hint-requests", auth.host, async (c) => {
    return c.json({ requests: await hints.hintRequests(c.var.host.session) });
  });

  api.post("/sessions/:sid/questions", auth.attendee, async (c) => {
    const { text } = await readBody(c, questionBody);
    return c.json(await questions.ask(c.var.attendee, text), 201);
  });

  api.get("/sessions/:sid/questions", auth.host, async (c) => {
    return c.json({ questions: await questions.list(c.var.host.session) });
  });

  api.post("/sessions/:sid/questions/:qid/done", auth.host, async (c) => {
    const { session } = c.var.host;
    const id = Number(c.req.param("qid"));
    if (!Number.isSafeInteger(id) || id < 1)
      throw notFound("unknown_question", "the session has no such question");
    return c.json(await questions.markDone(session, id));
  });

  api.post("/sessions/:sid/verify", auth.caller, async (c) => {
    const body = await readBody(c, verifyBody);
    const outcome = await verify.verify(c.var.caller, body);
    if (outcome.kind === "one") return c.json(outcome.verification);
    return c.json({ queued: outcome.queued, verifyQueue: outcome.queue }, 202);
  });

  // EventSource cannot set headers, so the host key comes as ?token=.
  api.get("/sessions/:sid/events", auth.hostFromQuery, (c) => {
    const { session } = c.var.host;
    return streamSSE(c, async (stream) => {
      let unsubscribe = () => {};
      const closed = new Promise<void>((resolve) => stream.onAbort(resolve));
      unsubscribe = events.subscribe(session.id, (event) => {
        void stream.writeSSE({ event: event.type, data: JSON.stringify(event.data) });
      });
      await stream.writeSSE({ event: "ready", data: JSON.stringify({ sessionId: session.id }) });
      // A comment every 15 s keeps proxies from closing an idle stream.
      const keepAlive = setInterval(() => void stream.write(": keep-alive\n\n"), 15_000);
      await closed;
      clearInterval(keepAlive);
      unsubscribe();
    });
  });

  api.route("/", pairingRoutes(auth, pairing));
  api.route("/", summaryRoutes(auth, summaries, deps.history));
  api.route("/", historyRoutes(auth, deps.history));

  api.all("*", () => {
    throw notFound("not_found", "no such API route");
  });

  return api;
}
