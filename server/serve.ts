/**
 * `scratchroom serve`: runs the server until SIGINT/SIGTERM, creating (or reusing) a demo session
 * and printing its host and join links so a first-time user has something to open.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { hostKeyMatches } from "./auth/host-key.js";
import { loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { type RunningServer, startServer } from "./main.js";

const DEMO_PACK = "demo";

interface DemoSession {
  sessionId: string;
  hostKey: string;
}

/** The demo session remembered in DATA_DIR, if it still exists; otherwise a new one. */
async function demoSession(
  server: RunningServer,
): Promise<{ hostUrl: string; joinUrl: string; joinCode: string } | null> {
  if (!server.sessions.packs.has(DEMO_PACK)) return null;
  const file = join(server.config.dataDir, "demo-session.json");
  if (existsSync(file)) {
    try {
      const saved = JSON.parse(readFileSync(file, "utf8")) as DemoSession;
      const session = await server.storage.records.getSession(saved.sessionId);
      if (session && hostKeyMatches(saved.hostKey, session.hostKeyHash)) {
        return {
          hostUrl: server.sessions.hostUrl(session.id, saved.hostKey),
          joinUrl: server.sessions.joinUrl(session.joinCode),
          joinCode: session.joinCode,
        };
      }
    } catch (err) {
      server.log.warn({ err, file }, "demo session file unreadable; creating a new demo session");
    }
  }
  const created = await server.sessions.create(DEMO_PACK);
  const saved: DemoSession = { sessionId: created.sessionId, hostKey: created.hostKey };
  writeFileSync(file, JSON.stringify(saved) + "\n", { mode: 0o600 });
  return created;
}

const USAGE = `usage: scratchroom serve

Starts the server (HTTP API, WebSocket sync, the built client) and prints a demo session's host
and join links. Configured by environment variables (README.md, Configuration): PORT (8080),
HOST (0.0.0.0), DATA_DIR (./data), PUBLIC_URL, DATABASE_URL, REDIS_URL, SECRET, …
Stops on Ctrl+C (SIGINT) or SIGTERM. Exits 1 with one line when the port is already taken.`;

/** The one-line reason a start failed, for the errors a user can fix; undefined for the rest. */
function startFailure(err: unknown, config: { host: string; port: number }): string | undefined {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === "EADDRINUSE") {
    return `scratchroom serve: port ${config.port} on ${config.host} is already in use (stop the other server, or set PORT to a free port)`;
  }
  if (code === "EACCES") {
    return `scratchroom serve: not allowed to listen on port ${config.port} on ${config.host} (ports below 1024 need privileges; set PORT)`;
  }
  return undefined;
}

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { help: { type: "boolean", short: "h", default: false } } });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  const log = createLogger();
  let server: RunningServer;
  try {
    server = await startServer(config, log);
  } catch (err) {
    const reason = startFailure(err, config);
    if (reason === undefined) throw err;
    console.error(reason);
    return 1;
  }
  const demo = await demoSession(server);
  const lines = [``, `Scratchroom is running at ${server.publicUrl}`];
  if (demo) {
    lines.push(
      ``,
      `Demo session (pack "${DEMO_PACK}"):`,
      `  Host link: ${demo.hostUrl}`,
      `  Join link: ${demo.joinUrl}   (join code ${demo.joinCode})`,
    );
  }
  lines.push(``, `Press Ctrl+C to stop.`, ``);
  console.log(lines.join("\n"));

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, "shutting down");
      server.close().then(
        () => resolve(0),
        (err: unknown) => {
          log.error({ err }, "shutdown failed");
          resolve(1);
        },
      );
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
