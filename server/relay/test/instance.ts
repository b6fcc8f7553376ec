/**
 * A server instance as a child process, for tests that kill one with SIGKILL: configured from the
 * environment like `scratchroom serve`, plus JSON overrides in SCRATCHROOM_TEST_CONFIG. Prints
 * `{"url": …}` on one stdout line once listening; stops gracefully on SIGTERM.
 */
import { loadConfig, type Config } from "../../config.js";
import { createLogger } from "../../logger.js";
import { startServer } from "../../main.js";

const overrides = JSON.parse(process.env.SCRATCHROOM_TEST_CONFIG ?? "{}") as Partial<Config>;
const server = await startServer(
  loadConfig(process.env, overrides),
  createLogger(process.env.LOG_LEVEL ?? "warn"),
);
process.stdout.write(JSON.stringify({ url: server.url }) + "\n");
process.once("SIGTERM", () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
