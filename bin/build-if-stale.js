#!/usr/bin/env node
// `npm start` runs this before `serve`: it builds (`npm run build`) only when the build is missing
// or older than a source file, so `npm install && npm start` builds once (`prepare` already did)
// and a start after editing the code still serves what was edited.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * What the build reads: the source folders and the files that configure it (not package.json or
 * the lock, which npm may write after `prepare` has built).
 */
export const SOURCES = [
  "client",
  "contract",
  "server",
  "sandbox",
  "sessions",
  "tsconfig.json",
  "tsconfig.build.json",
  "bin/bundle-server.js",
  "vite.config.ts",
];
/** What the build writes, one file per step (tsc, the server's bundle, the client). */
export const OUTPUTS = ["dist/server/cli.js", "dist/bundle/cli.js", "dist/client/index.html"];

/** The newest modification time (ms) under `path`; 0 when it does not exist. */
export function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Whether `root`'s build is missing or older than any of its sources. */
export function buildIsStale(root) {
  const built = OUTPUTS.map((file) => join(root, file));
  if (!built.every((file) => existsSync(file))) return true;
  const oldestOutput = Math.min(...built.map((file) => statSync(file).mtimeMs));
  return SOURCES.some((source) => newestMtime(join(root, source)) > oldestOutput);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  if (buildIsStale(root)) {
    console.log("Building (the build is missing or older than the sources)…");
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const result = spawnSync(npm, ["run", "--silent", "build"], { cwd: root, stdio: "inherit" });
    process.exit(result.status ?? 1);
  }
}
