/**
 * Server configuration read from the environment (README.md).
 *
 *   PORT (8080), HOST (0.0.0.0), DATA_DIR (./data), PUBLIC_URL (http://localhost:<port>),
 *   DATABASE_URL (postgres://… selects Postgres storage), REDIS_URL (multi-instance relay),
 *   SECRET (token signing key; generated once into DATA_DIR when absent), TRUST_PROXY (1: behind a
 *   reverse proxy, the client address is the last X-Forwarded-For entry),
 *   INSTANCE_ID (this instance's name in logs and on the relay; the host name by default),
 *   REDIS_CHANNEL_PREFIX ("scratchroom:"; keeps deployments sharing one Redis apart),
 *   VERIFY_WORKERS (2), VERIFY_PER_SESSION (VERIFY_WORKERS - 1, at least 1), VERIFY_MAX_QUEUED (500),
 *   VERIFY_SESSION_MAX_QUEUED (200): server-side verification,
 *   CONNECTIONS_PER_PARTICIPANT (16), CONNECTIONS_PER_ADDRESS (1000; 0: no cap),
 *   PARTICIPANT_MESSAGES_PER_SECOND (600; burst two seconds' worth): sync limits per participant,
 *   PACK_UPLOADS (open | off), PACK_UPLOAD_KEY: who may upload packs (see PackUploads).
 *
 * Limits that protect the server are here too, so tests and benchmarks can tighten or loosen them.
 */
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { resolve } from "node:path";

export interface Limits {
  /** Largest WebSocket frame accepted; bigger frames close the connection (1009). */
  maxFrameBytes: number;
  /** Largest size a doc may grow to; updates beyond it are refused. */
  maxDocBytes: number;
  /** Bytes queued for one slow client beyond which it is disconnected (it resyncs on reconnect). */
  maxBufferedBytes: number;
  /** Token bucket per connection: sustained messages per second and burst size. */
  messagesPerSecond: number;
  messageBurst: number;
  /** Token bucket per connection on bytes received (burst: a second's worth or two maximal frames). */
  bytesPerSecond: number;
  /**
   * Token buckets per participant (the host counts as one per session), summed over all of its
   * connections to this instance: sustained messages and bytes per second, and the message burst.
   * Beyond them every connection of the participant is closed (4529) and its upgrades are refused
   * (429) for `participantCooldownMs`, doubled for each repeat within a minute (sync/participant-budget.ts).
   */
  participantMessagesPerSecond: number;
  participantMessageBurst: number;
  participantBytesPerSecond: number;
  participantCooldownMs: number;
  /** A sync socket is pinged this often and dropped when it has not answered the previous ping. */
  pingIntervalMs: number;
  /** Open sync connections per participant and per client address (0: no cap); beyond them, 429. */
  connectionsPerParticipant: number;
  connectionsPerAddress: number;
  /** Largest awareness state (JSON, in UTF-16 units) a client may publish; bigger entries are dropped. */
  maxAwarenessStateBytes: number;
  /** Joins per client address per minute (generous: a whole lecture hall may share one NAT address). */
  joinsPerMinute: number;
  /** Longest metric series kept per run report. */
  maxMetricPoints: number;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Base of the links the server prints and returns; null: http://localhost:<listening port>. */
  publicUrl: string | null;
  databaseUrl: string | null;
  redisUrl: string | null;
  redisChannelPrefix: string;
  instanceId: string;
  /** Longest wait, when a doc loads, for the other instances holding it to answer (relay). */
  relaySyncTimeoutMs: number;
  /** How long a relayed update waits for its instance to report it stored before it is stored here. */
  relayCustodyMs: number;
  secret: string | null;
  /** Behind a reverse proxy: take the client address from the last X-Forwarded-For entry. */
  trustProxy: boolean;
  /** How long a doc with no connections stays in memory. */
  roomGraceMs: number;
  /** Most time between an update and its write to storage. */
  flushIntervalMs: number;
  /** Most time between an edit and the history version that keeps it (docs/api.md "History"). */
  historyIntervalMs: number;
  /** Update-log rows per doc beyond which the log is merged into one row. */
  compactAfterUpdates: number;
  /** Time without a doc update after which the server gives memory back (0: never; server/idle-memory.ts). */
  idleReclaimMs: number;
  /** How long an attendee token stays valid. */
  tokenTtlMs: number;
  /** Built client to serve (a notice to build it is served while it is missing). */
  clientDir: string;
  /** Folder of session packs. */
  packsDir: string;
  limits: Limits;
  /** Server-side verification (docs/api.md, "Verify"): sandbox workers, per-session limit, queue bounds. */
  verify: { workers: number; perSession: number; maxQueued: number; maxQueuedPerSession: number };
  /** Who may upload packs from the start page (docs/api.md, POST /api/packs). */
  packUploads: PackUploads;
}

/**
 * "open": anyone who can reach the server; "key": whoever presents PACK_UPLOAD_KEY as a bearer
 * token; "off": nobody. Default: "key" when PACK_UPLOAD_KEY is set, else "open" for a single
 * machine (no DATABASE_URL and no REDIS_URL) and "off" for a shared deployment. PACK_UPLOADS
 * (open | off) overrides.
 */
export interface PackUploads {
  policy: "open" | "key" | "off";
  key: string | null;
}

function packUploadsFrom(env: NodeJS.ProcessEnv): PackUploads {
  const key = emptyToNull(env.PACK_UPLOAD_KEY);
  const setting = emptyToNull(env.PACK_UPLOADS);
  if (setting !== null && setting !== "open" && setting !== "off") {
    throw new Error(`PACK_UPLOADS must be "open" or "off", got "${setting}"`);
  }
  if (setting === "off") return { policy: "off", key: null };
  if (key !== null) return { policy: "key", key };
  if (setting === "open") return { policy: "open", key: null };
  const shared = emptyToNull(env.DATABASE_URL) !== null || emptyToNull(env.REDIS_URL) !== null;
  return { policy: shared ? "off" : "open", key: null };
}

/** What tests and benchmarks override: any top-level field, and any part of `limits` or `verify`. */
export type ConfigOverrides = Partial<Omit<Config, "limits" | "verify">> & {
  limits?: Partial<Limits>;
  verify?: Partial<Config["verify"]>;
};

export const DEFAULT_LIMITS: Limits = {
  maxFrameBytes: 2 * 1024 * 1024,
  maxDocBytes: 16 * 1024 * 1024,
  maxBufferedBytes: 32 * 1024 * 1024,
  messagesPerSecond: 200,
  messageBurst: 1000,
  bytesPerSecond: 4 * 1024 * 1024,
  participantMessagesPerSecond: 600,
  participantMessageBurst: 1200,
  participantBytesPerSecond: 8 * 1024 * 1024,
  participantCooldownMs: 5000,
  pingIntervalMs: 30_000,
  connectionsPerParticipant: 16,
  connectionsPerAddress: 1000,
  maxAwarenessStateBytes: 16 * 1024,
  joinsPerMinute: 240,
  maxMetricPoints: 1000,
};

function intFrom(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function emptyToNull(value: string | undefined): string | null {
  return value === undefined || value === "" ? null : value;
}

/** Builds the configuration from `env`, with `overrides` (used by tests) taking precedence. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const port = intFrom(env.PORT, "PORT", 8080);
  // server/config.ts (tsx) and dist/server/config.js (built) find the project root the same way.
  const up = resolve(import.meta.dirname, "..");
  const root = existsSync(resolve(up, "package.json")) ? up : resolve(up, "..");
  const participantRate = Math.max(
    1,
    intFrom(
      env.PARTICIPANT_MESSAGES_PER_SECOND,
      "PARTICIPANT_MESSAGES_PER_SECOND",
      DEFAULT_LIMITS.participantMessagesPerSecond,
    ),
  );
  const verifyWorkers = Math.max(1, intFrom(env.VERIFY_WORKERS, "VERIFY_WORKERS", 2));
  const base: Config = {
    port,
    host: env.HOST || "0.0.0.0",
    dataDir: resolve(env.DATA_DIR || "data"),
    publicUrl: env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, "") : null,
    databaseUrl: emptyToNull(env.DATABASE_URL),
    redisUrl: emptyToNull(env.REDIS_URL),
    redisChannelPrefix: env.REDIS_CHANNEL_PREFIX || "scratchroom:",
    instanceId: env.INSTANCE_ID || hostname(),
    relaySyncTimeoutMs: 1000,
    relayCustodyMs: 3000,
    secret: emptyToNull(env.SECRET),
    trustProxy: env.TRUST_PROXY === "1" || env.TRUST_PROXY === "true",
    roomGraceMs: 30_000,
    flushIntervalMs: 250,
    historyIntervalMs: Math.max(1000, intFrom(env.HISTORY_INTERVAL_MS, "HISTORY_INTERVAL_MS", 60_000)),
    compactAfterUpdates: 500,
    idleReclaimMs: Math.max(0, intFrom(env.IDLE_RECLAIM_MS, "IDLE_RECLAIM_MS", 30_000)),
    tokenTtlMs: 24 * 60 * 60 * 1000,
    clientDir: resolve(root, "dist/client"),
    packsDir: resolve(root, "sessions"),
    limits: {
      ...DEFAULT_LIMITS,
      participantMessagesPerSecond: participantRate,
      participantMessageBurst: 2 * participantRate,
      connectionsPerParticipant: intFrom(
        env.CONNECTIONS_PER_PARTICIPANT,
        "CONNECTIONS_PER_PARTICIPANT",
        DEFAULT_LIMITS.connectionsPerParticipant,
      ),
      connectionsPerAddress: intFrom(
        env.CONNECTIONS_PER_ADDRESS,
        "CONNECTIONS_PER_ADDRESS",
        DEFAULT_LIMITS.connectionsPerAddress,
      ),
    },
    verify: {
      workers: verifyWorkers,
      // One fewer than the workers: a session looping verifications that burn a 60 s budget never
      // holds every worker, so another session's verification starts at once.
      perSession: Math.max(1, intFrom(env.VERIFY_PER_SESSION, "VERIFY_PER_SESSION", verifyWorkers - 1)),
      maxQueued: intFrom(env.VERIFY_MAX_QUEUED, "VERIFY_MAX_QUEUED", 500),
      maxQueuedPerSession: intFrom(env.VERIFY_SESSION_MAX_QUEUED, "VERIFY_SESSION_MAX_QUEUED", 200),
    },
    packUploads: packUploadsFrom(env),
  };
  return {
    ...base,
    ...overrides,
    limits: { ...base.limits, ...overrides.limits },
    verify: { ...base.verify, ...overrides.verify },
  };
}
