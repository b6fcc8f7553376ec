/**
 * What the real-browser tests and the client benchmark share: building the client, starting the
 * real server in-process on an ephemeral port with a throw-away data directory, and launching
 * Chromium.
 *
 * SCRATCHROOM_E2E_URL points the tests at an already running server instead (e.g. a deployment).
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { DEFAULT_LIMITS, loadConfig, type Limits } from "../server/config.js";
import { createLogger } from "../server/logger.js";
import {
  loadPackMap,
  startServer as startRealServer,
  type RunningServer as RealServer,
} from "../server/main.js";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.js";

export const ROOT = join(import.meta.dirname, "..");

/** Builds dist/client with the project's vite.config.ts. */
export async function buildClient(): Promise<void> {
  const { build } = await import("vite");
  await build({ root: join(ROOT, "client"), configFile: join(ROOT, "vite.config.ts"), logLevel: "warn" });
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

async function waitForHealth(url: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer /healthz within ${timeoutMs} ms`);
}

/**
 * Starts the real server in this process on a free loopback port with a fresh data directory.
 * `limits` loosens protections a benchmark would otherwise trip (60 joins from one address).
 */
export async function startServer(limits: Partial<Limits> = {}): Promise<RunningServer> {
  const external = process.env.SCRATCHROOM_E2E_URL;
  if (external) {
    await waitForHealth(external);
    return { url: external.replace(/\/$/, ""), stop: async () => undefined };
  }
  const dataDir = mkdtempSync(join(tmpdir(), "scratchroom-e2e-"));
  const config = loadConfig(
    { PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir },
    { limits: { ...DEFAULT_LIMITS, ...limits } },
  );
  const server = await startRealServer(config, createLogger(process.env.LOG_LEVEL ?? "warn"));
  return {
    url: server.url,
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** One browser test file's own world: its client build, the real server on it, and Chromium. */
export interface BrowserWorld {
  server: RealServer;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Builds the client into a temporary folder of its own (so browser test files can run side by side
 * without two builds writing the same files), starts the real server in this process on it with a
 * fresh data directory, and launches Chromium. `packsDir` replaces the shipped packs.
 */
export async function startBrowserWorld(
  name: string,
  options: { packsDir?: string } = {},
): Promise<BrowserWorld> {
  const dir = mkdtempSync(join(tmpdir(), `scratchroom-e2e-${name}-`));
  const { build } = await import("vite");
  await build({
    root: join(ROOT, "client"),
    configFile: join(ROOT, "vite.config.ts"),
    logLevel: "warn",
    build: { outDir: join(dir, "client"), emptyOutDir: true },
  });
  const log = createLogger("warn");
  const config = loadConfig(
    {},
    { port: 0, host: "127.0.0.1", dataDir: join(dir, "data"), clientDir: join(dir, "client") },
  );
  const server = await startRealServer(
    config,
    log,
    options.packsDir ? { packs: await loadPackMap(options.packsDir, log) } : {},
  );
  const browser = await launchChromium();
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Takes a README screenshot: into test-results/screenshots/, or, with UPDATE_SCREENSHOTS=1
 * (`npm run screenshots`), over the tracked one in docs/screenshots/.
 */
export async function readmeScreenshot(page: Page, name: string): Promise<void> {
  const dir =
    process.env.UPDATE_SCREENSHOTS === "1"
      ? join(ROOT, "docs", "screenshots")
      : join(ROOT, "test-results", "screenshots");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, name) });
}
