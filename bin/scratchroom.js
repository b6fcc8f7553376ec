#!/usr/bin/env node
// Entry point of `npx scratchroom`: runs the built CLI, or the TypeScript sources through tsx
// when the project has not been built (a development checkout).
import { existsSync } from "node:fs";

const built = new URL("../dist/server/cli.js", import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(new URL("../server/cli.ts", import.meta.url).href);
}
