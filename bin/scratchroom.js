#!/usr/bin/env node
// Entry point of `npx scratchroom`: runs the built CLI (dist/, made by `npm run build`), or the
// TypeScript sources through tsx when there is no build or SCRATCHROOM_SOURCE=1 (tests set it so
// they always exercise the sources beside them, never a stale build). Without a build it says so
// on stderr, once per command: the sources are compiled as they load, which makes start-up slower.
import { existsSync } from "node:fs";

const built = new URL("../dist/server/cli.js", import.meta.url);
if (existsSync(built) && process.env.SCRATCHROOM_SOURCE !== "1") {
  await import(built.href);
} else {
  if (process.env.SCRATCHROOM_SOURCE !== "1") {
    process.stderr.write(
      "scratchroom: no build in dist/; compiling the TypeScript sources as they load (run `npm run build` once for a faster start)\n",
    );
  }
  const { register } = await import("tsx/esm/api");
  register();
  await import(new URL("../server/cli.ts", import.meta.url).href);
}
