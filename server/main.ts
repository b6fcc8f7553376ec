/**
 * Starts and stops a Scratchroom server: storage, packs, rooms, the Hono app on @hono/node-server
 * with a `ws` WebSocketServer for /sync.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import type { Hono } from "hono";
import { WebSocketServer } from "ws";
import { createApp } from "./app.js";
import { loadSecret } from "./auth/secret.js";
import { TokenSigner } from "./auth/token.js";
import type { Config } from "./config.js";
import { createLogger, type Logger } from "./logger.js";
import type { Pack } from "./packs/format.js";
import { loadPacks } from "./packs/load.js";
import { SessionEvents } from "./session/events.js";
import { SessionService } from "./session/service.js";
import { ThreadedSqliteStorage } from "./storage/sqlite-thread.js";
import type { Storage } from "./storage/types.js";
import { UpdateLog } from "./storage/update-log.js";
import { CloseCode } from "./sync/connection.js";
import { RoomRegistry } from "./sync/registry.js";

export interface RunningServer {
  /** Where the server listens, e.g. http://127.0.0.1:8080 (the real port when config.port is 0). */
  url: string;
  /** Base of the links handed out (PUBLIC_URL, or http://localhost:<port>). */
  publicUrl: string;
  port: number;
  config: Config;
  sessions: SessionService;
  rooms: RoomRegistry;
  storage: Storage;
  log: Logger;
  /** Stops accepting, closes connections, flushes every pending update, closes storage. */
  close(): Promise<void>;
}

function openStorage(config: Config): Storage {
  if (config.databaseUrl) {
    throw new Error("DATABASE_URL is set, but this build has only the SQLite storage; unset DATABASE_URL");
  }
  return ThreadedSqliteStorage.open(config.dataDir);
}

/** Loads the packs, logging (and leaving out) any that are broken. */
export function loadPackMap(dir: string, log: Logger): Map<string, Pack> {
  const packs = new Map<string, Pack>();
  for (const result of loadPacks(dir)) {
    if (result.ok) packs.set(result.pack.id, result.pack);
    else log.warn({ dir: result.dir, problems: result.problems }, "pack left out: it has problems");
  }
  return packs;
}

export async function startServer(config: Config, log: Logger = createLogger()): Promise<RunningServer> {
  const storage = openStorage(config);
  const updateLog = new UpdateLog(
    storage,
    { flushIntervalMs: config.flushIntervalMs, compactAfterUpdates: config.compactAfterUpdates },
    log.child({ module: "update-log" }),
  );
  const rooms = new RoomRegistry(
    storage,
    updateLog,
    { graceMs: config.roomGraceMs },
    log.child({ module: "rooms" }),
  );
  const events = new SessionEvents();
  const signer = new TokenSigner(loadSecret(config.dataDir, config.secret));
  const packs = loadPackMap(config.packsDir, log);
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.limits.maxFrameBytes });
  // The app is built once the port is known (PUBLIC_URL may derive from it); nothing is served before.
  let app: Hono | null = null;
  const server = createAdaptorServer({
    fetch: (request, env) => app!.fetch(request, env),
    websocket: { server: wss },
  }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  const publicUrl = config.publicUrl ?? `http://localhost:${port}`;
  const sessions = new SessionService(storage, rooms, packs, signer, events, {
    publicUrl,
    tokenTtlMs: config.tokenTtlMs,
  });
  app = createApp({
    sessions,
    events,
    rooms,
    limits: config.limits,
    trustProxy: config.trustProxy,
    clientDir: config.clientDir,
    log: log.child({ module: "http" }),
  });
  log.info({ port, host: config.host, storage: storage.kind, packs: [...packs.keys()] }, "server listening");

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // Close sockets before the rooms go, so no frame arrives at a destroyed doc.
      const sockets = [...wss.clients];
      const socketsClosed = Promise.all(sockets.map((ws) => new Promise((r) => ws.once("close", r))));
      for (const ws of sockets) ws.close(CloseCode.shuttingDown, "server shutting down");
      server.closeAllConnections();
      await Promise.race([socketsClosed, new Promise((r) => setTimeout(r, 1000).unref())]);
      for (const ws of wss.clients) ws.terminate();
      await rooms.close();
      await storage.close();
      await stopped;
      log.info("server stopped");
    })());

  return { url: `http://${host}:${port}`, publicUrl, port, config, sessions, rooms, storage, log, close };
}
