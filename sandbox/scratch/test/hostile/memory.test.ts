/**
 * Memory under hostile runs (issue 14, points 4 and 5), measured on a child process whose runner
 * worker is a thread of it (memory-probe.ts): with a 64 MB tensor quota, runs that fill and read
 * back, read one big tensor again and again, need big temporaries, fragment the tensor heap, or
 * copy data in, all end with the "tensors" limit while the process's peak RSS stays within 1.5×
 * the quota above its baseline; and after a run that grew the tensor heap past the recycling bound
 * the worker is replaced, so RSS returns to its baseline.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { QUOTA } from "./memory-probe.js";

interface Sample {
  name: string;
  error: { kind: string; limit?: string; message: string } | null;
  baseline: number;
  peak: number;
  after: number;
}

const probe = fileURLToPath(new URL("./memory-probe.ts", import.meta.url));

function measure(names: string[], env: Record<string, string> = {}): Promise<Sample[]> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", probe, ...names],
      { timeout: 120_000, env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${err.message}\n${stderr}`));
        resolve(
          stdout
            .split("\n")
            .filter((l) => l.startsWith("{"))
            .map((l) => JSON.parse(l) as Sample),
        );
      },
    );
  });
}

const MB = 1024 * 1024;

describe("memory", { timeout: 150_000 }, () => {
  it("a run hitting the tensor quota keeps peak RSS within 1.5× the quota above baseline", async () => {
    const names = ["fillAndRead", "readBig", "broadcast", "fragment", "data"];
    const samples = await measure(names);
    expect(samples.map((s) => s.name)).toEqual(names);
    for (const s of samples) {
      expect(s.error, s.name).toMatchObject({ kind: "limit", limit: "tensors" });
      const growth = s.peak - s.baseline;
      expect(growth, `${s.name}: peak RSS grew ${Math.round(growth / MB)} MB`).toBeLessThanOrEqual(
        1.5 * QUOTA,
      );
    }
  });

  it("a worker whose tensor heap grew past the bound is recycled and RSS returns to baseline", async () => {
    const [big] = await measure(["big"], { SCRATCHROOM_SANDBOX_HEAP_MB: "128" });
    expect(big?.error).toBeNull();
    // 320 MB of tensors were live; afterwards the process is back within 64 MB of where it started.
    expect(big!.peak - big!.baseline).toBeGreaterThan(200 * MB);
    expect(
      big!.after - big!.baseline,
      `after: +${Math.round((big!.after - big!.baseline) / MB)} MB`,
    ).toBeLessThan(64 * MB);
  });
});
