/**
 * The Hono app: HTTP API under /api, the sync endpoint under /sync, health, and the built client.
 * A factory over its dependencies so tests and main.ts assemble it the same way.
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { apiRoutes, type ApiDeps } from "./api/routes.js";
import { packRoutes, type PackRouteDeps } from "./api/pack-routes.js";
import { httpError } from "./api/errors.js";
import { clientRoutes } from "./client-assets.js";
import type { Metrics } from "./metrics.js";
import type { RoomRegistry } from "./sync/registry.js";
import { syncRoutes } from "./sync/route.js";
import { securityHeaders } from "./security-headers.js";

/** The API's services and settings, and what the rest of the app serves. */
export interface AppDeps extends ApiDeps {
  rooms: RoomRegistry;
  clientDir: string;
  /** Served at GET /metrics (Prometheus text format) when given. */
  metrics?: Metrics;
  /** Pack uploads (POST /api/packs) when given. */
  packUploads?: PackRouteDeps;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use("*", securityHeaders());

  // The one place errors become HTTP answers: domain errors by their kind, API errors as they are.
  app.onError((err, c) => {
    const answer = httpError(err);
    if (answer) {
      for (const [k, v] of Object.entries(answer.headers)) c.header(k, v);
      return c.json({ error: { code: answer.code, message: answer.message } }, answer.status);
    }
    if (err instanceof HTTPException && err.status < 500) {
      return c.json({ error: { code: "bad_request", message: err.message } }, err.status);
    }
    deps.log.error({ err, path: c.req.path }, "unhandled error");
    return c.json({ error: { code: "internal", message: "internal server error" } }, 500);
  });

  app.get("/healthz", (c) => c.json({ ok: true }));
  const metrics = deps.metrics;
  if (metrics) {
    app.get("/metrics", async (c) => {
      const { body, contentType } = await metrics.render();
      return c.body(body, 200, { "content-type": contentType });
    });
  }
  // Before the API's 1 MiB body limit: the upload route has its own (the zip cap).
  if (deps.packUploads) app.route("/api", packRoutes(deps.packUploads));
  app.route("/api", apiRoutes(deps));
  app.route("/sync", syncRoutes());
  clientRoutes(app, deps.clientDir);
  app.notFound((c) => c.json({ error: { code: "not_found", message: "not found" } }, 404));
  return app;
}
