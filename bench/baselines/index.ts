/**
 * The baseline servers `bench:sync` runs next to ours, from their own install in this folder
 * (`npm run bench:install`): @hocuspocus/server 4 declares Node >= 22, so it is kept out of the
 * project's dependencies, whose `npm install` stays free of engine warnings. Yjs, y-protocols and
 * better-sqlite3 are links to the project's own copies (one Yjs in every process).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export { SQLite } from "@hocuspocus/extension-sqlite";
export { Server as HocuspocusServer } from "@hocuspocus/server";
export { LeveldbPersistence } from "y-leveldb";
export * as ywsUtils from "@y/websocket-server/utils";

/** The installed version of one of the baseline packages. */
export function installedVersion(name: string): string {
  const file = join(import.meta.dirname, "node_modules", name, "package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}
