/**
 * Loads the packs (./load.ts) in a short-lived child process. Validating them parses every task's
 * JavaScript and the `scratch` library's sources with acorn and renders their math with KaTeX; done
 * in the server, that left its RSS about 14 MB and its heap about 2.5 MB larger for good (V8 and
 * malloc keep the pages they grew into) than the 1.2 MB of pack data it keeps. A worker thread does
 * not help: the process keeps most of what its isolate grew into after it ends (11.5 of the 14 MB
 * in a measurement). The child's memory goes back to the system when it exits.
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { PackLoadResult } from "./load.js";

/** What `loadPacks(dir)` returns, computed in a child process that exits afterwards. */
export async function loadPacksIsolated(dir: string): Promise<PackLoadResult[]> {
  const fromSources = import.meta.url.endsWith(".ts");
  const entry = new URL(fromSources ? "./load-child.ts" : "./load-child.js", import.meta.url);
  // From sources the child compiles TypeScript through tsx, as the server does.
  const execArgv = fromSources ? ["--import", import.meta.resolve("tsx")] : [];
  const child = fork(fileURLToPath(entry), [dir], {
    execArgv,
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    return await new Promise<PackLoadResult[]>((resolve, reject) => {
      child.once("message", (results) => resolve(results as PackLoadResult[]));
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`pack loader exited (${code}) before answering`)));
    });
  } finally {
    if (child.exitCode === null) child.kill();
  }
}
