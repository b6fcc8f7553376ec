import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeDone, describeEvent, printable } from "./run.js";

const bin = new URL("../../bin/scratchroom.js", import.meta.url).pathname;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "scratchroom-run-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { timeout: 60_000, env: { ...process.env, SCRATCHROOM_SOURCE: "1" } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function file(name: string, source: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, source);
  return path;
}

describe("scratchroom run", () => {
  it("stops while(true){} with a clear time-limit error and exit code 1", async () => {
    const path = await file("loop.js", `console.log("before");\nwhile (true) {}\n`);
    const { code, stdout, stderr } = await cli(["run", path, "--timeout", "500"]);
    expect(code).toBe(1);
    expect(stdout).toContain("before");
    expect(stderr).toMatch(/limit \(time\) error: Time limit exceeded/);
  });

  it("prints console lines, plot and metric summaries, and exits 0", async () => {
    const path = await file(
      "train.js",
      `console.log("seeded", Math.random());
__host.emit("plot", { kind: "line", title: "loss", series: [{ y: [3, 2, 1] }] });
for (let i = 0; i < 4; i++) __host.emit("metric", { name: "loss", step: i, value: 4 - i });
for (let i = 0; i < 3; i++) __host.emit("metric", { name: "acc", step: i, value: i === 0 ? 0.5 : NaN });
console.warn("careful \\u001b[31m");`,
    );
    const a = await cli(["run", path, "--seed", "7"]);
    const b = await cli(["run", path, "--seed", "7"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^seeded 0\.\d+$/m);
    expect(a.stdout.split("\n")[0]).toBe(b.stdout.split("\n")[0]);
    expect(a.stdout).toMatch(/^plot line "loss": 1 series, 3 points/m);
    expect(a.stdout).toContain("[metric loss] 4 steps, last 1, range [1, 4]");
    expect(a.stdout).toContain("[warn] careful \\x1b[31m");
    expect(a.stdout).toContain("[metric acc] 3 steps, last NaN, range [0.5000, 0.5000], NaN at step 1");
    expect(a.stdout).toMatch(/^ok \(/m);
  });

  it("reports a runtime error with file:line:col", async () => {
    const path = await file("bug.ts", `const x: number = 1;\n\n(x as any).y.z;\n`);
    const { code, stderr } = await cli(["run", path]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^bug\.ts:3:\d+: runtime error: TypeError/m);
  });

  it("reports a memory limit set with --memory", async () => {
    const path = await file("bomb.js", `const a = []; for (;;) a.push(new Float64Array(1e6));\n`);
    const { code, stderr } = await cli(["run", path, "--memory", "40"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/limit \(memory\)/);
  });

  it("rejects bad arguments with exit code 2", async () => {
    expect((await cli(["run"])).code).toBe(2);
    expect((await cli(["run", "x.js", "--timeout", "-5"])).code).toBe(2);
    expect((await cli(["run", join(dir, "missing.js")])).code).toBe(2);
  });
});

describe("run output formatting", () => {
  it("escapes control characters and bidi overrides, keeps HTML as text", () => {
    expect(printable("<b>\u001b[2J\u0007\u202e</b>\ttab")).toBe("<b>\\x1b[2J\\x07\\u202e</b>\ttab");
  });

  it("describes checks and errors", () => {
    const check = { name: "\u001b[2J", passed: false, message: "got [2]" };
    expect(describeEvent({ type: "check", check, t: 0 })).toMatch(/^✗ \\x1b\[2J/);
    expect(describeEvent({ type: "metric", name: "loss", step: 0, value: 1, t: 0 })).toBeUndefined();
    expect(
      describeDone({
        type: "done",
        status: "error",
        durationMs: 3,
        t: 3,
        error: {
          kind: "limit",
          limit: "stack",
          message: "Stack limit exceeded.",
          module: "a.js",
          line: 2,
          column: 5,
        },
      }),
    ).toBe("a.js:2:5: limit (stack) error: Stack limit exceeded. (3 ms)");
  });
});
