import { afterEach, describe, expect, it } from "vitest";
import { cli } from "./test/cli.js";
import { writePack, type Fixture } from "./test/fixture.js";

let fixture: Fixture | undefined;
afterEach(() => fixture?.cleanup());

describe("scratchroom preview", { timeout: 120_000 }, () => {
  it("shows the starter's failing checks with message and hint, and the reference's console, plots and checks", async () => {
    fixture = writePack({
      "tasks/double/task.json": JSON.stringify({
        title: "Double it",
        modules: ["scratch/check", "scratch/plot"],
      }),
      "tasks/double/solution.js": [
        'import { line } from "scratch/plot";',
        "",
        'console.log("doubling");',
        'line([1, 2, 4], { title: "growth" });',
        "export function double(x) {",
        "  return 2 * x;",
        "}",
        "",
      ].join("\n"),
    });
    const { code, stdout } = await cli(["preview", fixture.dir, "--first-feedback-ms", "60000"]);
    expect(stdout).toContain("== tiny/double: Double it (budget 60 s) ==");
    const [starter, reference] = stdout.split("reference (solution.js)");
    expect(starter).toMatch(/starter \(what attendees start from\): finished in \d+ ms/);
    expect(starter).toContain(
      "✗ double 2 is 4\n        message: value: expected 4, got 2\n        hint: off by a constant factor",
    );
    expect(starter).toContain("✗ [hidden, shown after Verify] double -3 is -6");
    expect(reference).toContain("console:\n    doubling");
    expect(reference).toContain('plot line "growth"');
    expect(reference).toContain("checks: 2/2 pass");
    expect(reference).toContain("verify: ok");
    expect(code).toBe(0);
  });

  it("gives a runtime error in the reference its file:line:col, and exits 1", async () => {
    fixture = writePack({
      "tasks/double/solution.js": "export function double(x) {\n  return undefinedFunction(x);\n}\n",
    });
    const { code, stdout } = await cli(["preview", fixture.dir, "double"]);
    expect(stdout).toContain("ReferenceError: 'undefinedFunction' is not defined (at solution.js:2:10)");
    expect(stdout).toContain("verify: FAILS");
    expect(code).toBe(1);
  });

  it("names an unknown task", async () => {
    fixture = writePack();
    const { code, stderr } = await cli(["preview", fixture.dir, "nope"]);
    expect(code).toBe(2);
    expect(stderr).toContain('pack "tiny" has no task "nope" (its tasks: double)');
  });
});
