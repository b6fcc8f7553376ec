/**
 * What the real-browser tests and the client benchmark share: building the client, starting the
 * real server on an ephemeral port with a throw-away data directory, and launching Chromium.
 *
 * SCRATCHROOM_E2E_URL points the tests at an already running server instead (e.g. a deployment).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../support/chromium.js";

export const ROOT = join(import.meta.dirname, "..", "..");

/** Builds dist/client with the project's vite.config.ts. */
export async function buildClient(): Promise<void> {
  const { build } = await import("vite");
  await build({ root: join(ROOT, "client"), configFile: join(ROOT, "vite.config.ts"), logLevel: "warn" });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

async function waitForHealth(
  url: string,
  child: ChildProcess | null,
  output: () => string,
  timeoutMs = 45_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null)
      throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not answer /healthz within ${timeoutMs} ms:\n${output()}`);
}

/** Starts `scratchroom serve` (from source, via tsx) on a free loopback port. */
export async function startServer(): Promise<RunningServer> {
  const external = process.env.SCRATCHROOM_E2E_URL;
  if (external) {
    await waitForHealth(external, null, () => "");
    return { url: external.replace(/\/$/, ""), stop: async () => undefined };
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "scratchroom-e2e-"));
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "server", "cli.ts"), "serve"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      PUBLIC_URL: url,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  try {
    await waitForHealth(url, child, () => output);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
