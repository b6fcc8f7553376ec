/**
 * The docs stand on their own: docs/server.md maps every folder of server/, and no doc or source
 * comment sends the reader to a file outside the repository (a design document cited by section).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..", "..");
const SCANNED = /\.(ts|tsx|md)$/;
const SKIPPED = new Set(["node_modules", "dist", ".git", "data"]);

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (SKIPPED.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else if (SCANNED.test(name)) out.push(path);
  }
  return out;
}

describe("the docs", () => {
  it("docs/server.md names every folder of server/", () => {
    const map = readFileSync(join(ROOT, "docs", "server.md"), "utf8");
    const folders = readdirSync(join(ROOT, "server")).filter((n) =>
      statSync(join(ROOT, "server", n)).isDirectory(),
    );
    expect(folders.length).toBeGreaterThan(10);
    expect(folders.filter((f) => !map.includes(`\`${f}/`))).toEqual([]);
  });

  it("cite no file outside the repository", () => {
    const outside = /design\.md|shared\/docs\//;
    const citing = files(ROOT)
      .filter((f) => f !== import.meta.filename && outside.test(readFileSync(f, "utf8")))
      .map((f) => relative(ROOT, f));
    expect(citing).toEqual([]);
  });
});
