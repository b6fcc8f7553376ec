import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadPacks } from "./load.js";
import { loadPacksIsolated } from "./load-isolated.js";
import { writePack, type Fixture } from "./test/fixture.js";

let fixture: Fixture | undefined;
afterEach(() => fixture?.cleanup());

describe("loadPacksIsolated", () => {
  it("loads the same packs in a child process as loadPacks does here", async () => {
    const dir = join(import.meta.dirname, "../../sessions");
    const results = await loadPacksIsolated(dir);
    expect(results.length).toBeGreaterThan(0);
    expect(results).toEqual(loadPacks(dir));
  });

  it("reports a broken pack's problems as loadPacks does", async () => {
    fixture = writePack({ "tasks/double/starter.js": "export function double(x) {" });
    const results = await loadPacksIsolated(fixture.root);
    expect(results).toEqual(loadPacks(fixture.root));
    expect(results[0]!.ok).toBe(false);
  });
});
