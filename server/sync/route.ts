/**
 * `GET /sync/<docName>` without a WebSocket upgrade: 426. Upgrades themselves never reach the Hono
 * app; they are served on the `ws` server (./upgrade.ts).
 */
import { Hono } from "hono";
import { ApiError } from "../api/errors.js";

export function syncRoutes(): Hono {
  const sync = new Hono();
  sync.get("/*", () => {
    throw new ApiError(426, "upgrade_required", "this endpoint speaks WebSocket (y-websocket protocol)");
  });
  return sync;
}
