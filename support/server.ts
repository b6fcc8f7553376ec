/**
 * Test support: a real server on an ephemeral port with its own DATA_DIR, and real y-websocket
 * providers connecting to it with `ws`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as joinPath, resolve } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { WebsocketProvider } from "y-websocket";
import WebSocket from "ws";
import * as Y from "yjs";
import { type ConfigOverrides, loadConfig } from "../server/config.js";
import { createLogger, type Logger } from "../server/logger.js";
import { loadPackMap, type RunningServer, type StartOptions, startServer } from "../server/main.js";
import type { Pack } from "../server/packs/format.js";
import type { CheckResult } from "../contract/run-report.js";
import type { VerificationRecord } from "../contract/records.js";

export interface TestServer extends RunningServer {
  dataDir: string;
  /** fetch() relative to the server, parsing JSON. */
  api(
    path: string,
    init?: RequestInit & { json?: unknown; bearer?: string },
  ): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  wsUrl: string;
}

let packs: ReadonlyMap<string, Pack> | undefined;

export function tempDataDir(): string {
  return mkdtempSync(joinPath(tmpdir(), "scratchroom-test-"));
}

export async function startTestServer(
  overrides: ConfigOverrides = {},
  log: Logger = createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
  options: Omit<StartOptions, "packs"> = {},
): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? tempDataDir();
  const config = loadConfig({}, { port: 0, host: "127.0.0.1", dataDir, roomGraceMs: 200, ...overrides });
  // Loading and validating every pack takes seconds; one load per test file is enough.
  packs ??= await loadPackMap(config.packsDir, log);
  const running = await startServer(config, log, { ...options, packs });
  return {
    ...running,
    dataDir,
    api: apiAt(running.url),
    wsUrl: running.url.replace(/^http/, "ws") + "/sync",
  };
}

/** fetch() against a server at `url`, parsing JSON bodies. */
function apiAt(url: string): TestServer["api"] {
  return async (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (init.json !== undefined) headers.set("content-type", "application/json");
    if (init.bearer) headers.set("authorization", `Bearer ${init.bearer}`);
    const res = await fetch(url + path, {
      ...init,
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body };
  };
}

/** One parsed pino log line. */
export interface LogEntry {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger whose entries land in `entries` (parsed), for tests that assert on logging. */
export function capturedLogger(level = "warn"): { log: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  let partial = "";
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop()!;
      for (const line of lines) if (line) entries.push(JSON.parse(line) as LogEntry);
      done();
    },
  });
  return { log: pino({ level, base: null }, sink), entries };
}

const root = resolve(import.meta.dirname, "..");

/** A `scratchroom serve` child process (TypeScript sources via tsx). */
export interface ServeProcess {
  process: ChildProcess;
  url: string;
  output: string;
  exited: Promise<number | null>;
}

/** Runs `scratchroom serve` in a child process on `port` (0: ephemeral) and waits until it serves. */
export async function spawnServe(
  dataDir: string,
  { port = 0, env = {}, nodeArgs = [] }: { port?: number; env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {},
): Promise<ServeProcess> {
  const argv = [...nodeArgs, "--import", "tsx", resolve(root, "server/cli.ts"), "serve"];
  const child = spawn(process.execPath, argv, {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      PUBLIC_URL: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const state: ServeProcess = {
    process: child,
    url: "",
    output: "",
    exited: new Promise((r) => child.once("exit", (code) => r(code))),
  };
  child.stdout!.on("data", (d: Buffer) => (state.output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (state.output += d.toString()));
  await until(
    () => /running at (\S+)/.test(state.output) && state.output.includes("Join link"),
    60_000,
    "child server start",
  );
  state.url = /running at (\S+)/.exec(state.output)![1]!.replace("localhost", "127.0.0.1");
  return state;
}

/** A TestServer-shaped handle onto a server in another process, enough for the helpers here. */
export function remote(url: string): TestServer {
  return { url, wsUrl: url.replace(/^http/, "ws") + "/sync", api: apiAt(url) } as unknown as TestServer;
}

export async function stopTestServer(server: TestServer, removeData = true): Promise<void> {
  await server.close();
  if (removeData) rmSync(server.dataDir, { recursive: true, force: true });
}

export interface HostedSession {
  sessionId: string;
  hostKey: string;
  joinCode: string;
}

export async function createSession(server: TestServer, pack = "demo"): Promise<HostedSession> {
  const res = await server.api("/api/sessions", { method: "POST", json: { pack } });
  if (res.status !== 201) throw new Error(`create session: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as HostedSession;
}

export interface Attendee {
  sessionId: string;
  participantId: string;
  workspaceId: string;
  token: string;
}

export async function joinSession(server: TestServer, joinCode: string, name = "Ada"): Promise<Attendee> {
  const res = await server.api("/api/join", { method: "POST", json: { joinCode, name } });
  if (res.status !== 201) throw new Error(`join: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Attendee;
}

/**
 * Stores what a finished verify job of the host's leaves: `taskId` of the workspace verified, its
 * `checks` (all passed) the result's. For tests of the views that show verifications.
 */
export function storeVerified(
  server: TestServer,
  session: { sessionId: string },
  workspaceId: string,
  taskId: string,
  checks: CheckResult[] = [],
): Promise<VerificationRecord> {
  return server.storage.records.addVerification({
    sessionId: session.sessionId,
    workspaceId,
    taskId,
    requestedBy: "host",
    result: { status: "ok", checks, durationMs: 3, verified: true },
    at: Date.now(),
  });
}

/** A stock y-websocket provider, unmodified, in Node. */
export function connect(
  server: TestServer,
  docName: string,
  token: string,
  doc = new Y.Doc(),
): WebsocketProvider {
  return new WebsocketProvider(server.wsUrl, docName, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
}

export function synced(provider: WebsocketProvider, timeoutMs = 5000): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`provider for ${provider.roomname} did not sync`)),
      timeoutMs,
    );
    provider.once("sync", (isSynced: boolean) => {
      if (!isSynced) return;
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Waits until `predicate` holds, polling. */
export async function until(predicate: () => boolean, timeoutMs = 5000, what = "condition"): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Result of a raw WebSocket upgrade attempt: the HTTP status when refused, 101 when accepted. */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on("open", () => {
      resolve(101);
      ws.close();
    });
    ws.on("error", () => resolve(-1));
  });
}

/** A bare WebSocket client speaking raw y-websocket frames, for tests that need byte control. */
export class RawClient {
  readonly messages: Uint8Array[] = [];
  closeCode: number | null = null;
  closeReason = "";
  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data: Buffer) => this.messages.push(new Uint8Array(data)));
    ws.on("close", (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
    });
  }

  static open(server: TestServer, docName: string, token: string): Promise<RawClient> {
    const ws = new WebSocket(`${server.wsUrl}/${docName}?token=${encodeURIComponent(token)}`);
    const client = new RawClient(ws);
    return new Promise((resolve, reject) => {
      ws.once("open", () => resolve(client));
      ws.once("error", reject);
    });
  }

  send(data: Uint8Array | string): void {
    this.ws.send(data);
  }

  async closed(timeoutMs = 5000): Promise<number> {
    await until(() => this.closeCode !== null, timeoutMs, "socket close");
    return this.closeCode!;
  }
}
