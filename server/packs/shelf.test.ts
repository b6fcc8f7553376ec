import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { createLogger } from "../logger.js";
import { startServer } from "../main.js";
import type { Pack } from "./format.js";
import { loadPack, loadPacks } from "./load.js";
import { listingOf, PackShelf } from "./shelf.js";
import { emptyPack } from "./test/fixture.js";

const SESSIONS = join(import.meta.dirname, "../../sessions");
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "shelf-test-"));
  dirs.push(dir);
  return dir;
}

const pack = (id: string): Pack => emptyPack(id, `Pack ${id}`, ["t"]);

describe("PackShelf", () => {
  it("reads a pack from its file when asked, keeping only the few most recently used", () => {
    const dir = tempDir();
    const shelf = new PackShelf(2);
    for (const id of ["a", "b", "c"]) {
      const file = join(dir, `${id}.json`);
      writeFileSync(file, JSON.stringify(pack(id)));
      shelf.setFile({ listing: listingOf(pack(id)), file });
    }
    expect(shelf.held()).toBe(0);
    expect([...shelf.keys()]).toEqual(["a", "b", "c"]);
    expect(shelf.listings()).toEqual(["a", "b", "c"].map((id) => listingOf(pack(id))));
    expect(shelf.get("a")).toEqual(pack("a"));
    const a = shelf.get("a");
    expect(shelf.get("a")).toBe(a);
    shelf.get("b");
    shelf.get("c");
    expect(shelf.held()).toBe(2);
    // "a" was the least recently used: read again, a new object.
    expect(shelf.get("a")).not.toBe(a);
    expect(shelf.get("x")).toBeUndefined();
    expect(shelf.has("c") && !shelf.has("x")).toBe(true);
  });

  it("holds packs given whole, and a pack given again replaces the old in place", () => {
    const shelf = new PackShelf();
    shelf.set(pack("a"));
    shelf.set(pack("b"));
    shelf.set({ ...pack("a"), title: "New", uploaded: true });
    expect(shelf.held()).toBe(2);
    expect(shelf.get("a")?.title).toBe("New");
    expect(shelf.listings().map((l) => [l.id, l.uploaded])).toEqual([
      ["a", true],
      ["b", undefined],
    ]);
  });
});

describe("a started server's shipped packs", () => {
  it("holds no full pack until one is used, serves the loader's packs, and removes their files on close", async () => {
    const dataDir = tempDir();
    const config = loadConfig({}, { port: 0, host: "127.0.0.1", dataDir, packsDir: SESSIONS });
    const server = await startServer(config, createLogger("silent"));
    try {
      const shipped = loadPacks(SESSIONS).flatMap((r) => (r.ok ? [r.pack] : []));
      expect(server.catalog.packs.held()).toBe(0);
      const listed = (await (await fetch(`${server.url}/api/packs`)).json()) as unknown;
      expect(listed).toEqual(shipped.map(listingOf));
      expect(readdirSync(dataDir).filter((f) => f.startsWith("pack-cache-"))).toHaveLength(1);
      const demo = loadPack(join(SESSIONS, "demo"));
      expect(demo.ok && server.sessions.packs.get("demo")).toEqual(demo.ok && demo.pack);
      expect(server.catalog.packs.held()).toBe(1);
    } finally {
      await server.close();
    }
    expect(readdirSync(dataDir).filter((f) => f.startsWith("pack-cache-"))).toEqual([]);
  }, 60_000);
});
