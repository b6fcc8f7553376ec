/**
 * The host's pairing routes (docs/api.md "Pairing"): pair by hand, auto-pair, unpair, swap roles,
 * and the pair plan made before the session from a name list.
 */
import type { Hono } from "hono";
import type { PairingService } from "../pairing/service.js";
import { checkPlan, parseNameList } from "../pairing/name-list.js";
import type { SessionService } from "../session/service.js";
import { badRequest } from "./errors.js";
import { bearer, readBody } from "./request.js";
import { autoPairBody, pairBody, pairPlanBody } from "../../contract/api.js";

export function mountPairingRoutes(api: Hono, sessions: SessionService, pairing: PairingService): void {
  api.get("/sessions/:sid/pairs", async (c) => {
    const { session } = await sessions.requireHost(c.req.param("sid"), bearer(c));
    return c.json({ pairs: await pairing.list(session) });
  });

  api.post("/sessions/:sid/pairs", async (c) => {
    const { session } = await sessions.requireHost(c.req.param("sid"), bearer(c));
    const body = await readBody(c, pairBody);
    return c.json(await pairing.pair(session, body.participantIds, body.swapEveryMinutes ?? null), 201);
  });

  api.post("/sessions/:sid/pairs/auto", async (c) => {
    const { session } = await sessions.requireHost(c.req.param("sid"), bearer(c));
    const body = await readBody(c, autoPairBody);
    return c.json(await pairing.auto(session, body.mode, body.taskId, body.swapEveryMinutes ?? null));
  });

  api.delete("/sessions/:sid/pairs/:wid", async (c) => {
    const { session } = await sessions.requireHost(c.req.param("sid"), bearer(c));
    return c.json(await pairing.unpair(session, c.req.param("wid")));
  });

  api.post("/sessions/:sid/pairs/:wid/swap", async (c) => {
    const { session } = await sessions.requireHost(c.req.param("sid"), bearer(c));
    return c.json(await pairing.swap(session, c.req.param("wid")));
  });

  api.get("/sessions/:sid/pair-plan", async (c) => {
    const { session } = await sessions.requireHost(c.req.param("sid"), bearer(c));
    return c.json({ pairs: await pairing.plan(session) });
  });

  // JSON `{pairs}` or `{text}`, or the name list itself as text/plain.
  api.put("/sessions/:sid/pair-plan", async (c) => {
    const { session } = await sessions.requireHost(c.req.param("sid"), bearer(c));
    const plain = c.req.header("content-type")?.toLowerCase().startsWith("text/plain") ?? false;
    const body = plain ? { text: await c.req.text() } : await readBody(c, pairPlanBody);
    const check = "text" in body ? parseNameList(body.text) : checkPlan(body.pairs);
    if (!check.ok) throw badRequest("invalid_pair_plan", check.message);
    return c.json({ pairs: await pairing.setPlan(session, check.plan) });
  });
}
