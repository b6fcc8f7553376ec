#!/usr/bin/env node
// Entry point of `npx scratchroom`: runs the built CLI (dist/bundle/, made by `npm run build`), or the
// TypeScript sources through tsx when there is no build, when the build is older than the
// sources (a `git pull` without a rebuild would otherwise run old code), or when
// SCRATCHROOM_SOURCE=1 (tests set it so they always exercise the sources beside them). Except
// under SCRATCHROOM_SOURCE=1 it says on stderr why it runs the sources: they are compiled as they
// load, which makes start-up slower.
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

// The server bundled by bin/bundle-server.js (minified; its workers start from dist/server/).
const built = new URL("../dist/bundle/cli.js", import.meta.url);

/**
 * The newest modification time of the .ts sources under `dir` (node_modules and tests skipped);
 * 0 when there are none (the Docker image ships dist/ without the sources).
 */
function newestSource(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** Why the sources run instead of dist/, or null when dist/ is current. */
function sourceReason() {
  if (process.env.SCRATCHROOM_SOURCE === "1") return null;
  if (!existsSync(built)) return "no build in dist/";
  const root = fileURLToPath(new URL("..", import.meta.url));
  const sources = Math.max(newestSource(`${root}server`), newestSource(`${root}sandbox`));
  return sources > statSync(built).mtimeMs ? "dist/ is older than the sources" : null;
}

const reason = sourceReason();
if (reason === null && existsSync(built) && process.env.SCRATCHROOM_SOURCE !== "1") {
  await import(built.href);
} else {
  if (reason !== null) {
    process.stderr.write(
      `scratchroom: ${reason}; compiling the TypeScript sources as they load (run \`npm run build\` for a faster start)\n`,
    );
  }
  const { register } = await import("tsx/esm/api");
  register();
  await import(new URL("../server/cli.ts", import.meta.url).href);
}
