/**
 * `GET /sync/<docName>?token=…`: the y-websocket endpoint.
 *
 * Access is decided before the upgrade; a refused request gets its 401/403/404 as a plain HTTP
 * response and never becomes a WebSocket.
 */
import { upgradeWebSocket } from "@hono/node-server";
import { Hono } from "hono";
import type { WebSocket } from "ws";
import type { Limits } from "../config.js";
import type { Logger } from "../logger.js";
import type { SessionService } from "../session/service.js";
import { ApiError } from "../api/errors.js";
import { SyncConnection } from "./connection.js";
import type { RoomRegistry } from "./registry.js";

export interface SyncDeps {
  sessions: SessionService;
  rooms: RoomRegistry;
  limits: Limits;
  log: Logger;
}

export function syncRoutes({ sessions, rooms, limits, log }: SyncDeps): Hono {
  const sync = new Hono();
  sync.get("/*", async (c, next) => {
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      throw new ApiError(426, "upgrade_required", "this endpoint speaks WebSocket (y-websocket protocol)");
    }
    const docName = c.req.path.replace(/^\/sync\//, "");
    const access = await sessions.docAccess(docName, c.req.query("token"));
    const handler = upgradeWebSocket(() => {
      let connection: SyncConnection | null = null;
      return {
        onOpen(_event, ws) {
          // The adapter hands us the `ws` WebSocket it created with our WebSocketServer.
          const socket = ws.raw as unknown as WebSocket | undefined;
          if (!socket) return ws.close(1011, "no socket");
          connection = new SyncConnection(
            {
              send: (data) => socket.send(data),
              close: (code, reason) => socket.close(code, reason),
              terminate: () => socket.terminate(),
              get bufferedAmount() {
                return socket.bufferedAmount;
              },
            },
            access,
            rooms,
            limits,
            log,
          );
          void connection.open();
        },
        onMessage(event) {
          if (event.data instanceof ArrayBuffer) connection?.receive(new Uint8Array(event.data));
          else connection?.receiveText();
        },
        onClose() {
          connection?.onSocketClosed();
        },
        onError(event) {
          const error = (event as ErrorEvent).error as Error | undefined;
          log.warn({ doc: access.doc, err: error?.message }, "sync connection error");
        },
      };
    });
    return handler(c, next);
  });
  return sync;
}
