import { mkdtempSync, mkdirSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPack, loadPacks } from "./load.js";
import { publicTask } from "./format.js";

const sessionsDir = new URL("../../sessions", import.meta.url).pathname;

describe("pack loader", () => {
  it("loads the demo pack with its exposition in file order and its tasks", () => {
    const result = loadPack(join(sessionsDir, "demo"));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.pack.id).toBe("demo");
    expect(result.pack.exposition.map((s) => s.id)).toEqual(["01-gradient-descent", "02-your-turn"]);
    expect(result.pack.tasks[0]?.hidden).toContain("check(");
  });

  it("never exposes the solution or hidden checks in a public task", () => {
    const result = loadPack(join(sessionsDir, "demo"));
    if (!result.ok) throw new Error("demo pack should load");
    const task = result.pack.tasks[0]!;
    const pub = publicTask(task) as unknown as Record<string, unknown>;
    expect(pub.solution).toBeUndefined();
    expect(pub.hidden).toBeUndefined();
    expect(JSON.stringify(pub)).not.toContain(task.solution.trim());
  });

  it("reports every problem of a broken pack with its file, and keeps loading the others", () => {
    const root = mkdtempSync(join(tmpdir(), "packs-"));
    cpSync(join(sessionsDir, "demo"), join(root, "good"), { recursive: true });
    const bad = join(root, "bad");
    mkdirSync(join(bad, "tasks", "t1"), { recursive: true });
    writeFileSync(
      join(bad, "pack.json"),
      JSON.stringify({
        id: "bad",
        title: "Bad",
        track: "workshop",
        duration: 30,
        level: "beginner",
        tasks: ["t1"],
      }),
    );
    writeFileSync(join(bad, "tasks", "t1", "task.json"), "{ not json");
    const results = loadPacks(root);
    expect(results).toHaveLength(2);
    const broken = results.find((r) => !r.ok);
    expect(broken && !broken.ok && broken.problems[0]?.file).toMatch(/t1\/task\.json$/);
    expect(broken && !broken.ok && broken.problems[0]?.message).toMatch(/invalid JSON/);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
});
