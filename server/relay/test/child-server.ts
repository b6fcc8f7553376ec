/**
 * Starts server/relay/test/instance.ts as a child process (through tsx) and waits for its URL.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Config } from "../../config.js";

export interface ChildServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
}

const entry = fileURLToPath(new URL("./instance.ts", import.meta.url));

export async function startChildServer(config: Partial<Config>, timeoutMs = 60_000): Promise<ChildServer> {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    env: { ...process.env, SCRATCHROOM_TEST_CONFIG: JSON.stringify(config) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`child server did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      try {
        const { url } = JSON.parse(line) as { url: string };
        clearTimeout(timer);
        resolve(url);
      } catch {
        // a log line; keep reading
      }
    });
    void exited.then((code) => reject(new Error(`child server exited (${code}) before listening`)));
  });
  return { url, port: Number(new URL(url).port), process: child, exited };
}

/** SIGTERM and wait (a graceful stop); a process already gone is fine. */
export async function stopChildServer(server: ChildServer): Promise<void> {
  if (server.process.exitCode === null && server.process.signalCode === null) server.process.kill("SIGTERM");
  await server.exited;
}
