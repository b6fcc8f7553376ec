/**
 * Session summary routes (docs/api.md "Session summary"): the host's summary, the host's share
 * link, and the summary a share link opens.
 */
import { Hono } from "hono";
import type { Authentication } from "./auth.js";
import type { SummaryService } from "../summary/service.js";
import { summaryLinkBody } from "../../contract/api.js";
import { bearer, readBody } from "./request.js";
import type { HistoryService } from "../history/service.js";
import { versionId } from "./history-routes.js";

export function summaryRoutes(
  auth: Authentication,
  summaries: SummaryService,
  history: HistoryService,
): Hono {
  const api = new Hono();

  api.get("/sessions/:sid/summary", auth.host, async (c) => {
    const { session } = c.var.host;
    return c.json(await summaries.summary(session, c.req.query("names") !== "anonymised"));
  });

  api.post("/sessions/:sid/summary-link", auth.host, async (c) => {
    const { session } = c.var.host;
    const { names, days } = await readBody(c, summaryLinkBody);
    return c.json(summaries.link(session, names, days), 201);
  });

  // The token comes in the Authorization header (the page reads it from the URL fragment), so it
  // never appears in a request line or an access log.
  api.get("/summaries/:sid", async (c) => c.json(await summaries.shared(c.req.param("sid"), bearer(c))));

  // Workspace histories through a share link made with names visible (docs/api.md "History").
  api.get("/summaries/:sid/workspaces/:wid/history", async (c) => {
    const session = await summaries.sharedHistories(c.req.param("sid"), bearer(c));
    return c.json(await history.versionsOf(session, c.req.param("wid")));
  });

  api.get("/summaries/:sid/workspaces/:wid/history/:vid", async (c) => {
    const session = await summaries.sharedHistories(c.req.param("sid"), bearer(c));
    return c.json(await history.textOf(session, c.req.param("wid"), versionId(c.req.param("vid"))));
  });

  return api;
}
