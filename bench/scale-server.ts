/**
 * Child process of bench/scale.ts: one Scratchroom instance configured by the JSON in argv[2]
 * (Postgres storage, optionally the Redis relay). Prints {url} on stdout when ready; answers
 * "stats" IPC messages with its CPU time; stops gracefully when the parent disconnects.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Config, loadConfig } from "../server/config.js";
import { createLogger } from "../server/logger.js";
import { startServer } from "../server/main.js";

const overrides = JSON.parse(process.argv[2] ?? "{}") as Partial<Config>;
const dataDir = mkdtempSync(join(tmpdir(), "scratchroom-bench-"));
const server = await startServer(
  loadConfig({}, {
    port: 0,
    host: "127.0.0.1",
    dataDir,
    ...overrides,
    // Every simulated client is on loopback: no caps per address or participant.
    limits: {
      messagesPerSecond: 1000,
      messageBurst: 5000,
      joinsPerMinute: 1000,
      maxDocBytes: 64 << 20,
      connectionsPerParticipant: 0,
      connectionsPerAddress: 0,
      participantMessagesPerSecond: 1e9,
      participantMessageBurst: 1e9,
    },
  } as Partial<Config>),
  createLogger("warn"),
);
process.on("message", (msg) => {
  if (msg === "stats") {
    const cpu = process.cpuUsage();
    process.send!({ cpuMicros: cpu.user + cpu.system });
  }
});
process.on("disconnect", () => {
  void server.close().then(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
console.log(JSON.stringify({ url: server.url }));
