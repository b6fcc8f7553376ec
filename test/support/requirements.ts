/**
 * External things some tests need (Chromium, PostgreSQL, Redis, docker-compose).
 *
 * Locally a missing one skips its tests with the reason; with CI=true a missing one fails the run,
 * so CI never skips silently (design.md §2).
 */
import { existsSync } from "node:fs";
import { createConnection } from "node:net";
import { describe } from "vitest";

export { CHROMIUM_ARGS, CHROMIUM_PATH, CHROMIUM_WEBGPU_ARGS } from "./chromium.js";
import { CHROMIUM_PATH } from "./chromium.js";

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

function onPath(command: string): boolean {
  return (process.env.PATH ?? "").split(":").some((dir) => dir !== "" && existsSync(`${dir}/${command}`));
}

function portOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

export type Requirement = "chromium" | "postgres" | "redis" | "docker-compose";

/** Why a requirement is missing, or null when it is there. */
export async function missing(requirement: Requirement): Promise<string | null> {
  switch (requirement) {
    case "chromium":
      return existsSync(CHROMIUM_PATH)
        ? null
        : `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium)`;
    case "postgres":
      return (await portOpen("127.0.0.1", 5432)) ? null : "PostgreSQL not reachable on 127.0.0.1:5432";
    case "redis":
      return (await portOpen("127.0.0.1", 6379)) ? null : "Redis not reachable on 127.0.0.1:6379";
    case "docker-compose":
      return onPath("docker-compose") ? null : "docker-compose not found (apt-get install docker-compose)";
  }
}

/**
 * `describe` that runs when every requirement is present; otherwise it is skipped with the reason
 * printed, or, under CI=true, fails.
 */
export async function describeWith(
  requirements: Requirement[],
  name: string,
  body: () => void,
): Promise<void> {
  const reasons = (await Promise.all(requirements.map(missing))).filter((r): r is string => r !== null);
  if (reasons.length === 0) {
    describe(name, body);
    return;
  }
  if (process.env.CI === "true") {
    describe(name, () => {
      throw new Error(`required for CI: ${reasons.join("; ")}`);
    });
    return;
  }
  console.warn(`skipped "${name}": ${reasons.join("; ")}`);
  describe.skip(`${name} (skipped: ${reasons.join("; ")})`, body);
}
