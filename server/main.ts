/**
 * Starts and stops a Scratchroom server: storage, packs, rooms, the Hono app on @hono/node-server
 * with a `ws` WebSocketServer for /sync; with DATABASE_URL=postgres://… the Postgres storage, with
 * REDIS_URL the relay to other instances (docs/deploy.md).
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import type { Hono } from "hono";
import { createApp } from "./app.js";
import { loadSecret } from "./auth/secret.js";
import { TokenSigner } from "./auth/token.js";
import type { Config } from "./config.js";
import { PackCatalog } from "./packs/catalog.js";
import { PostgresPackStore, SqlitePackStore } from "./storage/pack-store.js";
import { createLogger, type Logger } from "./logger.js";
import { type HeapControls, IdleMemoryReclaimer, processHeap } from "./idle-memory.js";
import { Metrics } from "./metrics.js";
import type { Pack } from "./packs/format.js";
import type { PackLoadResult } from "./packs/load.js";
import { loadPacksIsolated } from "./packs/load-isolated.js";
import { makePackCache } from "./packs/pack-cache.js";
import type { PackFile } from "./packs/shelf.js";
import type { RedisRelay } from "./relay/redis-relay.js";
import { SessionEvents } from "./session/events.js";
import { SessionAccess } from "./session/access.js";
import { ProgressReadModel } from "./session/progress.js";
import { SessionService } from "./session/service.js";
import { SqliteStorage } from "./storage/sqlite.js";
import { withAccessCache } from "./storage/access-cache.js";
import type { Storage } from "./storage/types.js";
import { UpdateLog } from "./storage/update-log.js";
import { serveSyncUpgrades } from "./sync/upgrade.js";
import { watchAppends } from "./storage/watched.js";
import { CloseCode } from "./sync/connection.js";
import { RoomRegistry } from "./sync/registry.js";
import { createNodeRunner } from "../sandbox/runner/node.js";
import { VerifyService } from "./verify/service.js";
import { HintService } from "./hints/service.js";
import { QuestionService } from "./questions/service.js";
import { PairingService } from "./pairing/service.js";
import { SummaryService } from "./summary/service.js";
import { HistoryRecorder } from "./history/recorder.js";
import { HistoryService } from "./history/service.js";

export interface RunningServer {
  /** Where the server listens, e.g. http://127.0.0.1:8080 (the real port when config.port is 0). */
  url: string;
  /** Base of the links handed out (PUBLIC_URL, or http://localhost:<port>). */
  publicUrl: string;
  port: number;
  config: Config;
  sessions: SessionService;
  /** Shipped and uploaded packs. */
  catalog: PackCatalog;
  verify: VerifyService;
  rooms: RoomRegistry;
  storage: Storage;
  metrics: Metrics;
  /** The relay to other instances (REDIS_URL), or null when this instance runs alone. */
  relay: RedisRelay | null;
  log: Logger;
  /** Stops accepting, closes connections, flushes every pending update, closes storage. */
  close(): Promise<void>;
}

async function openStorage(config: Config, log: Logger): Promise<Storage> {
  if (config.databaseUrl === null) {
    // On this thread: its commits only append to the WAL; the checkpoints, which sync, run on a
    // short-lived worker (storage/wal-checkpoints.ts).
    const sqlite = SqliteStorage.open(config.dataDir, undefined, (err) =>
      log.error({ err }, "WAL checkpoint failed; the WAL grows until one succeeds"),
    );
    // Alone on its SQLite file (no relay), this process is the one writer of the records a
    // credential check reads: they are kept in memory (storage/access-cache.ts).
    return config.redisUrl === null ? withAccessCache(sqlite) : sqlite;
  }
  // pg (and ioredis below) load only when configured: a lone SQLite instance starts faster.
  const { isPostgresUrl, PostgresStorage } = await import("./storage/postgres.js");
  if (isPostgresUrl(config.databaseUrl)) return PostgresStorage.connect(config.databaseUrl);
  throw new Error("DATABASE_URL must be a postgres:// or postgresql:// URL (unset it to use SQLite)");
}

/** The packs that loaded, logging (and leaving out) any that are broken. */
function packMap(results: PackLoadResult[], log: Logger): Map<string, Pack> {
  const packs = new Map<string, Pack>();
  for (const result of results) {
    if (result.ok) packs.set(result.pack.id, result.pack);
    else log.warn({ dir: result.dir, problems: result.problems }, "pack left out: it has problems");
  }
  return packs;
}

/**
 * Loads the packs in this process, logging (and leaving out) any that are broken. The loader (its
 * schemas, acorn) is imported only here: the server itself loads the packs in a child process.
 */
export async function loadPackMap(dir: string, log: Logger): Promise<Map<string, Pack>> {
  const { loadPacks } = await import("./packs/load.js");
  return packMap(loadPacks(dir), log);
}

/** Shipped packs validated in a child process and written to a cache folder, by id. */
interface ShippedPacks {
  packs: ReadonlyMap<string, Pack | PackFile>;
  /** The files' folder, removed when the catalog closes; null when the packs are held whole. */
  cacheDir: string | null;
}

/**
 * {@link loadPackMap} in a short-lived child process (packs/load-isolated.ts), so that validating
 * them leaves nothing behind in the server's memory, and each valid pack written to a file in a
 * fresh folder under the data folder, read back when it is used (packs/shelf.ts); in this process,
 * every pack held whole, if the child cannot run or the folder cannot be made.
 */
async function loadShippedIsolated(dir: string, dataDir: string, log: Logger): Promise<ShippedPacks> {
  let cacheDir: string | null = null;
  try {
    cacheDir = makePackCache(dataDir);
    const packs = new Map<string, PackFile>();
    for (const result of await loadPacksIsolated(dir, cacheDir)) {
      if (result.ok) packs.set(result.listing.id, result);
      else log.warn({ dir: result.dir, problems: result.problems }, "pack left out: it has problems");
    }
    return { packs, cacheDir };
  } catch (err) {
    if (cacheDir !== null) rmSync(cacheDir, { recursive: true, force: true });
    log.warn({ err }, "could not load the packs in a child process; loading them here");
    return { packs: await loadPackMap(dir, log), cacheDir: null };
  }
}

/** How often an instance looks for packs uploaded through other instances. */
const UPLOADED_PACKS_POLL_MS = 5_000;

export interface StartOptions {
  /** Packs already loaded (tests share one load); default: loaded from config.packsDir. */
  packs?: ReadonlyMap<string, Pack>;
  /** The heap the idle reclaimer collects; default: this process's (none without --expose-gc). */
  heap?: HeapControls;
}

export async function startServer(
  config: Config,
  log: Logger = createLogger(),
  options: StartOptions = {},
): Promise<RunningServer> {
  const metrics = new Metrics({ processMetrics: true });
  let relay: RedisRelay | null = null;
  const heap = config.idleReclaimMs > 0 ? (options.heap ?? processHeap()) : null;
  const reclaimer = heap
    ? new IdleMemoryReclaimer(heap, { quietMs: config.idleReclaimMs }, log.child({ module: "memory" }))
    : null;
  const storage = watchAppends(
    await openStorage(config, log.child({ module: "storage" })),
    (updates, seconds) => {
      metrics.storageFlushSeconds.observe(seconds);
      relay?.stored(updates);
      reclaimer?.noteActivity();
    },
  );
  const updateLog = new UpdateLog(
    storage.documents,
    { flushIntervalMs: config.flushIntervalMs, compactAfterUpdates: config.compactAfterUpdates },
    log.child({ module: "update-log" }),
  );
  const rooms = new RoomRegistry(
    storage.documents,
    updateLog,
    { graceMs: config.roomGraceMs },
    log.child({ module: "rooms" }),
  );
  rooms.observe(metrics);
  // A room leaving memory leaves its doc as garbage: the quiet spell starts again after it.
  if (reclaimer) rooms.observe({ unloaded: () => reclaimer.noteActivity() });
  if (config.redisUrl) {
    const { RedisRelay } = await import("./relay/redis-relay.js");
    relay = await RedisRelay.start(
      {
        url: config.redisUrl,
        channelPrefix: config.redisChannelPrefix,
        // A restarted instance is a new one to the others (its update numbering starts again).
        instanceId: `${config.instanceId}-${randomBytes(4).toString("hex")}`,
        syncTimeoutMs: config.relaySyncTimeoutMs,
        custodyMs: config.relayCustodyMs,
      },
      (doc, update) => updateLog.append(doc, update),
      metrics,
      log.child({ module: "relay" }),
    );
    rooms.observe(relay);
  }
  const events = relay
    ? new (await import("./relay/session-events.js")).RelayedSessionEvents(relay)
    : new SessionEvents();
  const signer = new TokenSigner(loadSecret(config.dataDir, config.secret));
  const shipped: ShippedPacks = options.packs
    ? { packs: options.packs, cacheDir: null }
    : await loadShippedIsolated(config.packsDir, config.dataDir, log);
  const catalog = new PackCatalog(
    shipped.packs,
    config.databaseUrl === null
      ? SqlitePackStore.open(config.dataDir)
      : await PostgresPackStore.connect(config.databaseUrl),
    () => createNodeRunner({ poolSize: 1 }),
    log.child({ module: "packs" }),
    shipped.cacheDir,
  );
  await catalog.refresh();
  catalog.poll(UPLOADED_PACKS_POLL_MS);
  // What every service reads; uploads add to it in place.
  const packs = catalog.packs;
  // The app is built once the port is known (PUBLIC_URL may derive from it); nothing is served before.
  let app: Hono | null = null;
  const server = createAdaptorServer({
    fetch: (request, env) => app!.fetch(request, env),
  }) as Server;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port, config.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    // Nothing is served: release what was opened, so a failed start (a port in use) lets the process exit.
    await catalog.close();
    await rooms.close();
    await relay?.close();
    await storage.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  const publicUrl = config.publicUrl ?? `http://localhost:${port}`;
  const recorder = new HistoryRecorder(
    storage.records,
    rooms,
    { intervalMs: config.historyIntervalMs },
    log.child({ module: "history" }),
  );
  const sessions = new SessionService(
    storage.records,
    rooms,
    packs,
    signer,
    events,
    { publicUrl, tokenTtlMs: config.tokenTtlMs },
    recorder,
  );
  const history = new HistoryService(storage.records, rooms);
  const access = new SessionAccess(storage.records, signer);
  const verifyLog = log.child({ module: "verify" });
  const verify = new VerifyService(
    storage.records,
    rooms,
    packs,
    events,
    () => createNodeRunner({ poolSize: config.verify.workers }),
    config.verify,
    metrics.verificationsQueued,
    (err) => verifyLog.warn({ err }, "a queued verification failed"),
  );
  app = createApp({
    sessions,
    access,
    progress: new ProgressReadModel(storage.records, packs),
    events,
    verify,
    hints: new HintService(storage.records, rooms, packs, events),
    questions: new QuestionService(storage.records, events),
    pairing: new PairingService(storage.records, rooms, packs, events, log.child({ module: "pairing" })),
    summaries: new SummaryService(storage.records, rooms, packs, signer, publicUrl),
    history,
    rooms,
    limits: config.limits,
    trustProxy: config.trustProxy,
    clientDir: config.clientDir,
    log: log.child({ module: "http" }),
    metrics,
    packUploads: { catalog, uploads: config.packUploads, log: log.child({ module: "packs" }) },
  });
  const syncSockets = serveSyncUpgrades(server, {
    authorize: (docName, token) => access.docAccess(docName, token),
    rooms,
    limits: config.limits,
    trustProxy: config.trustProxy,
    log: log.child({ module: "http" }),
  });
  log.info(
    {
      port,
      host: config.host,
      storage: storage.kind,
      relay: relay?.instanceId ?? null,
      packs: [...packs.keys()],
    },
    "server listening",
  );
  reclaimer?.start();

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      reclaimer?.close();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // Close sockets before the rooms go, so no frame arrives at a destroyed doc.
      const sockets = [...syncSockets.open()];
      const socketsClosed = Promise.all(sockets.map((ws) => new Promise((r) => ws.once("close", r))));
      for (const ws of sockets) ws.close(CloseCode.shuttingDown, "server shutting down");
      server.closeAllConnections();
      await Promise.race([socketsClosed, new Promise((r) => setTimeout(r, 1000).unref())]);
      for (const ws of syncSockets.open()) ws.terminate();
      await verify.close();
      await catalog.close();
      await rooms.close();
      // The last versions of the docs the rooms held.
      await recorder.close();
      // Updates the relay took over while rooms unloaded, then the last "stored" reports.
      await updateLog.flush();
      await relay?.close();
      await storage.close();
      await stopped;
      log.info("server stopped");
    })());

  return {
    url: `http://${host}:${port}`,
    publicUrl,
    port,
    config,
    sessions,
    catalog,
    verify,
    rooms,
    storage,
    metrics,
    relay,
    log,
    close,
  };
}
