/**
 * A quiet start (issue 17, point 11): no dependency asks for a newer Node than the project's own
 * engines range (npm's EBADENGINE warning); `npm install && npm start` builds once (`prepare`
 * builds, `start` builds only a missing or stale build: bin/build-if-stale.js); the client build
 * prints no warnings; `serve` prints its links as one block with no log line inside it.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import semver from "semver";
import { build, type Logger } from "vite";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain ES module of the bin folder, without type declarations.
import { buildIsStale, OUTPUTS } from "../../bin/build-if-stale.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const packageJson = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  engines: { node: string };
  scripts: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
  packages: Record<string, { engines?: { node?: string } | string[] }>;
};
const temporary: string[] = [];
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("package config", () => {
  it("every locked package runs on the oldest Node the project claims (no EBADENGINE)", () => {
    const oldest = semver.minVersion(packageJson.engines.node)!.version;
    const demanding = Object.entries(lock.packages)
      .filter(([, entry]) => {
        const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return range !== undefined && !semver.satisfies(oldest, range);
      })
      .map(([name, entry]) => `${name} wants ${JSON.stringify(entry.engines)}`);
    expect(demanding).toEqual([]);
  });

  it("builds on install, and start builds only through the staleness check", () => {
    expect(packageJson.scripts.prepare).toBe("npm run build");
    expect(packageJson.scripts.start).not.toMatch(/npm run build/);
    expect(packageJson.scripts.start).toMatch(/^node bin\/build-if-stale\.js && /);
  });
});

describe("buildIsStale", () => {
  function project(): string {
    const dir = mkdtempSync(join(tmpdir(), "scratchroom-stale-"));
    temporary.push(dir);
    for (const file of ["client/main.tsx", "server/cli.ts", ...(OUTPUTS as string[])]) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), "");
    }
    return dir;
  }
  const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

  it("is stale without a build, fresh after one, stale again once a source changes", () => {
    const dir = project();
    at(join(dir, "client/main.tsx"), 1000);
    at(join(dir, "client"), 1000);
    at(join(dir, "server/cli.ts"), 1000);
    at(join(dir, "server"), 1000);
    for (const output of OUTPUTS as string[]) at(join(dir, output), 2000);
    expect(buildIsStale(dir)).toBe(false);
    at(join(dir, "server/cli.ts"), 3000);
    expect(buildIsStale(dir)).toBe(true);
    at(join(dir, "server/cli.ts"), 1000);
    rmSync(join(dir, (OUTPUTS as string[])[1]!));
    expect(buildIsStale(dir)).toBe(true);
  });
});

it("the client build prints no warnings (no chunk-size or plugin-timing report)", async () => {
  const warnings: string[] = [];
  const base = await import("vite").then((vite) => vite.createLogger("warn"));
  const logger: Logger = {
    ...base,
    warn: (message) => warnings.push(message),
    warnOnce: (message) => warnings.push(message),
  };
  const outDir = mkdtempSync(join(tmpdir(), "scratchroom-quiet-build-"));
  temporary.push(outDir);
  await build({
    root: join(root, "client"),
    configFile: join(root, "vite.config.ts"),
    customLogger: logger,
    logLevel: "warn",
    build: { outDir, emptyOutDir: true },
  });
  expect(warnings).toEqual([]);
}, 180_000);

it("serve prints its links as one block, with no log line inside it", async () => {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  const dataDir = mkdtempSync(join(tmpdir(), "scratchroom-quiet-serve-"));
  temporary.push(dataDir);
  const child = spawn(process.execPath, [join(root, "bin/scratchroom.js"), "serve"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      SCRATCHROOM_SOURCE: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  try {
    await expect.poll(() => out, { timeout: 60_000, interval: 200 }).toContain("Press Ctrl+C to stop.");
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
  const lines = out.split("\n");
  const block = lines.slice(
    lines.findIndex((l) => l.startsWith("Scratchroom is running at")),
    lines.indexOf("Press Ctrl+C to stop.") + 1,
  );
  expect(block.length).toBeGreaterThan(3);
  expect(block.filter((l) => l.trimStart().startsWith("{"))).toEqual([]);
  expect(block.join("\n")).toMatch(/Host link: http:\/\/localhost:\d+\/host\//);
  expect(block.join("\n")).toMatch(/Join link: http:\/\/localhost:\d+\/join\/[A-Z0-9]+/);
}, 90_000);
