import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makePackCache, removeStalePackCaches } from "./pack-cache.js";

/** The id of a process that has exited (so is not running now). */
function exitedPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

function cacheOf(dataDir: string, name: string): void {
  mkdirSync(join(dataDir, name));
  writeFileSync(join(dataDir, name, "0.json"), "{}");
}

describe("pack caches in the data folder", () => {
  it("removes those of servers that no longer run, keeps a running server's and other files", () => {
    const dataDir = mkdtempSync(join(tmpdir(), "pack-cache-test-"));
    const gone = `pack-cache-${exitedPid()}-abc123`;
    // process.ppid: a process that runs (the test runner's parent), as another server would.
    const running = `pack-cache-${process.ppid}-def456`;
    const ownPidReused = `pack-cache-${process.pid}-old999`;
    const unnamed = "pack-cache-XyZ123";
    for (const name of [gone, running, ownPidReused, unnamed]) cacheOf(dataDir, name);
    writeFileSync(join(dataDir, "scratchroom.db"), "");
    expect(removeStalePackCaches(dataDir).sort()).toEqual([gone, ownPidReused, unnamed].sort());
    expect(readdirSync(dataDir).sort()).toEqual([running, "scratchroom.db"].sort());
  });

  it("makes a fresh folder named by this process, in a data folder it creates", () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), "pack-cache-test-")), "data");
    const made = makePackCache(dataDir);
    expect(made.startsWith(join(dataDir, `pack-cache-${process.pid}-`))).toBe(true);
    expect(readdirSync(made)).toEqual([]);
    // A second server of this process on the same data folder keeps the first one's folder.
    const stale = `pack-cache-${exitedPid()}-stale1`;
    cacheOf(dataDir, stale);
    const second = makePackCache(dataDir);
    expect(readdirSync(dataDir).sort()).toEqual(
      [made, second].map((f) => f.slice(dataDir.length + 1)).sort(),
    );
  });
});
