import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadPacks } from "./load.js";
import { type IsolatedLoadResult, loadPacksIsolated } from "./load-isolated.js";
import { listingOf } from "./shelf.js";
import { writePack, type Fixture } from "./test/fixture.js";

let fixture: Fixture | undefined;
let cacheDir: string | undefined;
afterEach(() => {
  fixture?.cleanup();
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
});

/** What the child's results stand for: loadPacks' results, each valid pack read back from its file. */
function readBack(results: IsolatedLoadResult[]) {
  return results.map((r) =>
    r.ok ? { ok: true, pack: JSON.parse(readFileSync(r.file, "utf8")) as unknown } : r,
  );
}

describe("loadPacksIsolated", () => {
  it("loads the same packs in a child process as loadPacks does here, writing each to a file", async () => {
    const dir = join(import.meta.dirname, "../../sessions");
    cacheDir = mkdtempSync(join(tmpdir(), "packs-cache-test-"));
    const results = await loadPacksIsolated(dir, cacheDir);
    expect(results.length).toBeGreaterThan(0);
    const here = loadPacks(dir);
    expect(readBack(results)).toEqual(here);
    expect(results.map((r) => r.ok && r.listing)).toEqual(here.map((r) => r.ok && listingOf(r.pack)));
  });

  it("reports a broken pack's problems as loadPacks does", async () => {
    fixture = writePack({ "tasks/double/starter.js": "export function double(x) {" });
    cacheDir = mkdtempSync(join(tmpdir(), "packs-cache-test-"));
    const results = await loadPacksIsolated(fixture.root, cacheDir);
    expect(results).toEqual(loadPacks(fixture.root));
    expect(results[0]!.ok).toBe(false);
  });
});
