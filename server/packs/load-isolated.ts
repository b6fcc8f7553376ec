/**
 * Loads the packs (./load.ts) in a short-lived child process. Validating them parses every task's
 * JavaScript and the `scratch` library's sources with acorn and renders their math with KaTeX; done
 * in the server, that left its RSS about 14 MB and its heap about 2.5 MB larger for good (V8 and
 * malloc keep the pages they grew into) than the 1.2 MB of pack data it keeps. A worker thread does
 * not help: the process keeps most of what its isolate grew into after it ends (11.5 of the 14 MB
 * in a measurement). The child's memory goes back to the system when it exits.
 *
 * The child does not send the packs back: it writes each valid one as JSON into `cacheDir` and
 * sends its listing and file, so the server holds a full pack only while it is used (./shelf.ts).
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { PackLoadResult } from "./load.js";
import type { PackFile } from "./shelf.js";

/** A valid pack written to a file, or a broken pack's problems. */
export type IsolatedLoadResult = ({ ok: true } & PackFile) | Extract<PackLoadResult, { ok: false }>;

/**
 * What `loadPacks(dir)` returns, computed in a child process that exits afterwards, each valid pack
 * written to a file in `cacheDir` (an existing folder) rather than returned.
 */
export async function loadPacksIsolated(dir: string, cacheDir: string): Promise<IsolatedLoadResult[]> {
  const fromSources = import.meta.url.endsWith(".ts");
  const entry = new URL(fromSources ? "./load-child.ts" : "./load-child.js", import.meta.url);
  // From sources the child compiles TypeScript through tsx, as the server does.
  const execArgv = fromSources ? ["--import", import.meta.resolve("tsx")] : [];
  const child = fork(fileURLToPath(entry), [dir, cacheDir], {
    execArgv,
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    return await new Promise<IsolatedLoadResult[]>((resolve, reject) => {
      child.once("message", (results) => resolve(results as IsolatedLoadResult[]));
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`pack loader exited (${code}) before answering`)));
    });
  } finally {
    if (child.exitCode === null) child.kill();
  }
}
