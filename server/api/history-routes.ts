/**
 * Workspace history routes (docs/api.md "History"): a workspace's versions, one version's text,
 * and an attendee restoring a version into its workspace. Who may read what is the history
 * service's (server/history/service.ts).
 */
import { Hono } from "hono";
import type { Authentication } from "./auth.js";
import type { HistoryService } from "../history/service.js";
import { notFound } from "../errors.js";

/** A version id from the path: a positive integer, else 404 (ids are never anything else). */
export function versionId(raw: string | undefined): number {
  const id = Number(raw);
  if (!/^[1-9][0-9]{0,15}$/.test(raw ?? "") || !Number.isSafeInteger(id)) {
    throw notFound("unknown_version", "the workspace has no such version");
  }
  return id;
}

export function historyRoutes(auth: Authentication, history: HistoryService): Hono {
  const api = new Hono();

  api.get("/sessions/:sid/workspaces/:wid/history", auth.caller, async (c) => {
    return c.json(await history.versions(c.var.caller, c.req.param("wid")));
  });

  api.get("/sessions/:sid/workspaces/:wid/history/:vid", auth.caller, async (c) => {
    return c.json(await history.text(c.var.caller, c.req.param("wid"), versionId(c.req.param("vid"))));
  });

  api.post("/sessions/:sid/workspaces/:wid/history/:vid/restore", auth.attendee, async (c) => {
    return c.json(await history.restore(c.var.attendee, c.req.param("wid"), versionId(c.req.param("vid"))));
  });

  return api;
}
