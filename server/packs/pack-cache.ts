/**
 * The folder a server's shipped packs are written to once validated (./load-isolated.ts), read back
 * when used (./shelf.ts): `pack-cache-<pid>-<random>` in the data folder, removed when the server
 * closes. A server that crashed leaves its folder behind; the next start removes every such folder
 * whose process is gone (or has this process's id, reused after a restart in a container, but was
 * not made by this process), and leaves those of other servers running on the same data folder
 * alone.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const PREFIX = "pack-cache-";

/** The folders this process made (servers started in one process may share a data folder). */
const madeHere = new Set<string>();

/** Whether a process with this id runs (other than this one). */
function otherProcessRuns(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, under another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the pack caches in `dataDir` left by servers that no longer run; returns their names. */
export function removeStalePackCaches(dataDir: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(dataDir)) {
    if (!name.startsWith(PREFIX) || madeHere.has(join(dataDir, name))) continue;
    const pid = Number(name.slice(PREFIX.length).split("-")[0]);
    if (Number.isInteger(pid) && pid > 0 && otherProcessRuns(pid)) continue;
    rmSync(join(dataDir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** Makes this server's pack cache in `dataDir` (created if missing), after removing stale ones. */
export function makePackCache(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  removeStalePackCaches(dataDir);
  const made = mkdtempSync(join(dataDir, `${PREFIX}${process.pid}-`));
  madeHere.add(made);
  return made;
}
