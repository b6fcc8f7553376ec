/**
 * `scratchroom serve`: runs the server until SIGINT/SIGTERM, creating (or reusing) a demo session
 * and printing its host and join links so a first-time user has something to open.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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
      const session = await server.storage.getSession(saved.sessionId);
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

export async function main(_argv: string[]): Promise<number> {
  const config = loadConfig();
  const log = createLogger();
  const server = await startServer(config, log);
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
