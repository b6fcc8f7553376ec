import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ESLint } from "eslint";
import * as prettier from "prettier";
import { afterEach, describe, expect, it } from "vitest";
import { loadPack } from "./load.js";
import { scaffoldFiles } from "./scaffold.js";
import { cli } from "./test/cli.js";

const root = new URL("../..", import.meta.url).pathname;
let parent: string | undefined;
afterEach(() => {
  if (parent) rmSync(parent, { recursive: true, force: true });
  parent = undefined;
});

describe("scratchroom new-pack", { timeout: 180_000 }, () => {
  it("scaffolds a pack that verifies as created, then previews an edit that breaks it", async () => {
    parent = mkdtempSync(join(tmpdir(), "scratchroom-new-pack-"));
    const created = await cli(["new-pack", "evening-pack", "--title", "An evening pack"], { cwd: parent });
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('Created pack "evening-pack" in evening-pack:');
    const dir = join(parent, "evening-pack");
    const loaded = loadPack(dir);
    expect(loaded.ok && loaded.pack.title).toBe("An evening pack");
    if (!loaded.ok) return;
    const [task] = loaded.pack.tasks;
    expect(task?.hidden).not.toBeNull();
    expect(loaded.pack.exposition).toHaveLength(1);

    const verified = await cli(["verify", dir, "--first-feedback-ms", "60000"]);
    expect(verified.stdout).toMatch(
      /evening-pack \| mean-squared-error \| passes 3\/3 checks \| fails 2\/3 checks/,
    );
    expect(verified.code).toBe(0);

    // The host edits the solution and makes the mistake the visible check guards against.
    const solution = join(dir, "tasks", "mean-squared-error", "solution.js");
    writeFileSync(solution, readFileSync(solution, "utf8").replace("sum / predictions.length", "sum"));
    const previewed = await cli(["preview", dir]);
    expect(previewed.code).toBe(1);
    const reference = previewed.stdout.split("reference (solution.js)")[1] ?? "";
    expect(reference).toContain("✗ mse([1, 2], [1, 4]) is 2\n        message: got 4, the sum of the squares");
    expect(reference).toContain("hint: divide by the number of values");
    expect(reference).toContain('plot line "loss while fitting w"');
    expect(reference).toMatch(/metrics:\n {4}loss: 50 step\(s\)/);
  });

  it("refuses an existing folder and a bad id", async () => {
    parent = mkdtempSync(join(tmpdir(), "scratchroom-new-pack-"));
    expect((await cli(["new-pack", "p1"], { cwd: parent })).code).toBe(0);
    const again = await cli(["new-pack", "p1"], { cwd: parent });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists");
    const bad = await cli(["new-pack", "My Pack"], { cwd: parent });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("is not a pack id");
  });

  it("writes files that pass the project's format and lint checks where the shipped packs live", async () => {
    const files = scaffoldFiles("fmt-pack", "Format pack");
    const eslint = new ESLint({ cwd: root });
    for (const [path, text] of Object.entries(files)) {
      const filepath = join(root, "sessions", "fmt-pack", path);
      const options = (await prettier.resolveConfig(filepath)) ?? {};
      const ignored = (await prettier.getFileInfo(filepath, { ignorePath: join(root, ".prettierignore") }))
        .ignored;
      if (!ignored) expect(await prettier.check(text, { ...options, filepath }), path).toBe(true);
      if (path.endsWith(".js")) {
        const [result] = await eslint.lintText(text, { filePath: filepath });
        expect(
          result?.messages.map((m) => `${m.line}: ${m.message}`),
          path,
        ).toEqual([]);
      }
    }
  });
});
