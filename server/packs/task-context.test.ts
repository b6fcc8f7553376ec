import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { cli } from "./test/cli.js";
import { writePack, type Fixture } from "./test/fixture.js";

let fixture: Fixture | undefined;
afterEach(() => fixture?.cleanup());

/** The tiny pack with a pack module the solution imports, and a task that allows only scratch/check. */
function packWithModule(): Fixture {
  return writePack({
    "modules/scale.js": "export const FACTOR = 2;\n",
    "tasks/double/solution.js":
      'import { FACTOR } from "pack/scale";\n\nconsole.log("factor", FACTOR);\nexport function double(x) {\n  return FACTOR * x;\n}\n',
  });
}

describe("scratchroom run inside a pack", { timeout: 120_000 }, () => {
  it("resolves pack/<name> modules and runs the task's visible checks from the folder the file sits in", async () => {
    fixture = packWithModule();
    const { code, stdout, stderr } = await cli(["run", "solution.js"], {
      cwd: join(fixture.dir, "tasks", "double"),
    });
    expect(stderr).toContain('pack "tiny"');
    expect(stderr).toContain('task "double": modules scratch/check, seed 0, budget 5000 ms, with checks.js');
    expect(stdout).toContain("factor 2");
    expect(stdout).toMatch(/✓ double 2 is 4/);
    expect(stdout).not.toContain("double -3 is -6");
    expect(code).toBe(0);
  });

  it("applies the task's module rule: an import the task does not allow fails as in the room", async () => {
    fixture = writePack({
      "tasks/double/starter.js":
        'import { tensor } from "scratch/tensor";\n\nexport function double(x) {\n  return x;\n}\n',
    });
    const { code, stderr } = await cli(["run", join(fixture.dir, "tasks", "double", "starter.js")]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/scratch\/tensor/);
    expect(stderr).toMatch(/import error/);
  });

  it("--pack DIR --task ID give the context to a file outside the pack, --hidden adds hidden.js", async () => {
    fixture = packWithModule();
    const outside = join(fixture.root, "try.js");
    await import("node:fs").then((fs) =>
      fs.writeFileSync(
        outside,
        'import { FACTOR } from "pack/scale";\nexport const double = (x) => FACTOR * x;\n',
      ),
    );
    const plain = await cli(["run", outside]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/pack\/scale/);
    const { code, stdout } = await cli([
      "run",
      outside,
      "--pack",
      fixture.dir,
      "--task",
      "double",
      "--hidden",
    ]);
    expect(stdout).toMatch(/✓ double 2 is 4/);
    expect(stdout).toMatch(/double -3 is -6/);
    expect(code).toBe(0);
  });

  it("names an unknown task and a folder that is no pack, with exit code 2", async () => {
    fixture = packWithModule();
    const unknown = await cli(["run", join(fixture.dir, "tasks", "double", "solution.js"), "--task", "nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('has no task "nope"');
    const notPack = await cli([
      "run",
      join(fixture.dir, "tasks", "double", "solution.js"),
      "--pack",
      fixture.root,
    ]);
    expect(notPack.code).toBe(2);
    expect(notPack.stderr).toContain("is not a pack folder");
  });
});
