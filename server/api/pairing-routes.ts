/**
 * The host's pairing routes (docs/api.md "Pairing"): pair by hand, auto-pair, unpair, swap roles,
 * and the pair plan made before the session from a name list.
 */
import { Hono } from "hono";
import type { PairingService } from "../pairing/service.js";
import { checkPlan, parseNameList } from "../pairing/name-list.js";
import type { Authentication } from "./auth.js";
import { badRequest } from "./errors.js";
import { readBody } from "./request.js";
import { autoPairBody, pairBody, pairPlanBody } from "../../contract/api.js";

export function pairingRoutes(auth: Authentication, pairing: PairingService): Hono {
  const api = new Hono();
  api.get("/sessions/:sid/pairs", auth.host, async (c) => {
    const { session } = c.var.host;
    return c.json({ pairs: await pairing.list(session) });
  });

  api.post("/sessions/:sid/pairs", auth.host, async (c) => {
    const { session } = c.var.host;
    const body = await readBody(c, pairBody);
    return c.json(await pairing.pair(session, body.participantIds, body.swapEveryMinutes ?? null), 201);
  });

  api.post("/sessions/:sid/pairs/auto", auth.host, async (c) => {
    const { session } = c.var.host;
    const body = await readBody(c, autoPairBody);
    return c.json(await pairing.auto(session, body.mode, body.taskId, body.swapEveryMinutes ?? null));
  });

  api.delete("/sessions/:sid/pairs/:wid", auth.host, async (c) => {
    const { session } = c.var.host;
    return c.json(await pairing.unpair(session, c.req.param("wid")));
  });

  api.post("/sessions/:sid/pairs/:wid/swap", auth.host, async (c) => {
    const { session } = c.var.host;
    return c.json(await pairing.swap(session, c.req.param("wid")));
  });

  api.get("/sessions/:sid/pair-plan", auth.host, async (c) => {
    const { session } = c.var.host;
    return c.json({ pairs: await pairing.plan(session) });
  });

  // JSON `{pairs}` or `{text}`, or the name list itself as text/plain.
  api.put("/sessions/:sid/pair-plan", auth.host, async (c) => {
    const { session } = c.var.host;
    const plain = c.req.header("content-type")?.toLowerCase().startsWith("text/plain") ?? false;
    const body = plain ? { text: await c.req.text() } : await readBody(c, pairPlanBody);
    const check = "text" in body ? parseNameList(body.text) : checkPlan(body.pairs);
    if (!check.ok) throw badRequest("invalid_pair_plan", check.message);
    return c.json({ pairs: await pairing.setPlan(session, check.plan) });
  });

  return api;
}
