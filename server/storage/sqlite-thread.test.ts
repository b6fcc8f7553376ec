import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Opening the storage from the sources starts one thread, the storage's own, with its small young
 * generation: esbuild compiles the worker in a child process, not on a worker thread of its own that
 * would stay in the server's process (docs/benchmarks.md, "Process RSS (branch rss)"). In a child
 * process: vitest's own threads would be counted here.
 */
describe.runIf(existsSync("/proc/self/task"))("ThreadedSqliteStorage's thread", () => {
  it("is the only thread opening the storage starts, with its young generation bounded", () => {
    const script = `
      import { readdirSync } from "node:fs";
      import { ThreadedSqliteStorage } from ${JSON.stringify(new URL("./sqlite-thread.ts", import.meta.url).href)};
      const threads = () => readdirSync("/proc/self/task").length;
      const before = threads();
      const storage = new ThreadedSqliteStorage(":memory:");
      await storage.records.getSession("none");
      const after = threads();
      const limits = storage["worker"].resourceLimits;
      await storage.close();
      console.log(JSON.stringify({ started: after - before, young: limits.maxYoungGenerationSizeMb }));
    `;
    // A file, not -e: --input-type=module would be inherited by the worker and make its script ESM.
    const dir = mkdtempSync(join(tmpdir(), "scratchroom-thread-"));
    const file = join(dir, "probe.mts");
    writeFileSync(file, script);
    let out: string;
    try {
      out = execFileSync(process.execPath, ["--import", "tsx", file], { encoding: "utf8", timeout: 30_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const { started, young } = JSON.parse(out.trim().split("\n").pop()!) as {
      started: number;
      young: number;
    };
    expect(started).toBe(1);
    expect(young).toBeGreaterThan(0);
    expect(young).toBeLessThanOrEqual(4);
  });
});
