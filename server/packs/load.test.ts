import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { formatProblems, loadPack, loadPacks, type PackLoadResult } from "./load.js";
import { writePack, type Fixture } from "./test/fixture.js";

let fixture: Fixture | undefined;
afterEach(() => fixture?.cleanup());

/** Loads a variant of the valid fixture pack and returns its problems as `relative/file:line: message`. */
function problemsOf(changes: Record<string, string | null>, name?: string): string[] {
  fixture = writePack(changes, name);
  const result = loadPack(fixture.dir);
  if (result.ok) return [];
  return formatProblems(result.problems)
    .split("\n")
    .map((l) => l.replace(fixture!.dir + "/", ""));
}

const packJson = (fields: Record<string, unknown>) =>
  JSON.stringify(
    {
      id: "tiny",
      title: "Tiny",
      track: "workshop",
      duration: 30,
      level: "beginner",
      tasks: ["double"],
      ...fields,
    },
    null,
    2,
  );

describe("loadPack", () => {
  it("loads a valid pack with its exposition, tasks, hints and defaults", () => {
    fixture = writePack({ "tasks/double/task.json": '{ "title": "Double it" }' });
    const result = loadPack(fixture.dir);
    expect(result.ok).toBe(true);
    const pack = (result as Extract<PackLoadResult, { ok: true }>).pack;
    expect(pack.id).toBe("tiny");
    expect(pack.exposition.map((s) => s.id)).toEqual(["01-intro"]);
    expect(pack.tasks[0]).toMatchObject({
      id: "double",
      title: "Double it",
      hints: [],
      timeBudgetMs: 60_000,
    });
    expect(pack.tasks[0]!.hidden).toContain("double -3");
  });

  it("loads every pack in sessions/", () => {
    const results = loadPacks(join(import.meta.dirname, "../../sessions"));
    const broken = results.filter((r) => !r.ok);
    expect(broken.map((r) => (r.ok ? "" : formatProblems(r.problems)))).toEqual([]);
    expect(results.length).toBeGreaterThan(0);
  });

  it("reports a missing pack.json", () => {
    expect(problemsOf({ "pack.json": null })).toEqual(["pack.json: file is missing"]);
  });

  it("reports invalid JSON with its line", () => {
    expect(problemsOf({ "pack.json": '{\n  "id": "tiny",\n  "title": "T",\n}\n' })).toEqual([
      "pack.json:4: invalid JSON: Expected double-quoted property name",
    ]);
  });

  it("reports a missing required field at the object's line", () => {
    const text = packJson({}).replace(/\n {2}"title": "Tiny",/, "");
    expect(problemsOf({ "pack.json": text })).toEqual(['pack.json:1: "title" is required']);
  });

  it("reports bad metadata at the line of each offending key", () => {
    const text = packJson({ track: "lecture", duration: -3, level: "expert", colour: "red" });
    expect(problemsOf({ "pack.json": text })).toEqual([
      'pack.json:4: "track": Invalid option: expected one of "workshop"|"seminar"|"demo"',
      'pack.json:5: "duration": Too small: expected number to be >0',
      'pack.json:6: "level": Invalid option: expected one of "beginner"|"intermediate"|"advanced"',
      'pack.json:10: Unrecognized key: "colour"',
    ]);
  });

  it("reports a pack id that does not match its folder", () => {
    expect(problemsOf({ "pack.json": packJson({ id: "other" }) })).toEqual([
      'pack.json:2: "id" is "other" but the folder is "tiny"; they must match',
    ]);
  });

  it("reports duplicate, missing and unlisted tasks", () => {
    const text = packJson({ tasks: ["double", "double", "ghost"] });
    expect(problemsOf({ "pack.json": text, "tasks/extra/task.json": "{}" })).toEqual([
      'pack.json:9: task "double" is listed twice',
      'pack.json:10: task "ghost" is listed but tasks/ghost/ does not exist',
      'tasks/extra: task folder "extra" is not listed in pack.json "tasks"',
    ]);
  });

  it("reports missing task files and a pack without exposition", () => {
    expect(problemsOf({ "tasks/double/starter.js": null, "exposition/01-intro.md": null })).toEqual([
      "exposition: no exposition snippets (exposition/NN-name.md)",
      "tasks/double/starter.js: file is missing",
    ]);
  });

  it("reports bad task metadata and an unknown module at their lines", () => {
    const taskJson =
      '{\n  "title": "",\n  "modules": ["scratch/check", "scratch/torch"],\n  "timeBudgetMs": 1.5\n}\n';
    expect(problemsOf({ "tasks/double/task.json": taskJson })).toEqual([
      'tasks/double/task.json:2: "title": Too small: expected string to have >=1 characters',
      'tasks/double/task.json:3: "modules.1": Invalid option: expected one of "scratch/tensor"|"scratch/autograd"|"scratch/nn"|"scratch/optim"|"scratch/data"|"scratch/plot"|"scratch/check"|"scratch/metrics"',
      'tasks/double/task.json:4: "timeBudgetMs": Invalid input: expected int, received number',
    ]);
  });

  it("reads accelerate from task.json (default cpu, left out) and rejects an unknown value", () => {
    const load = (json: string) => {
      fixture = writePack({ "tasks/double/task.json": json });
      const result = loadPack(fixture.dir);
      fixture.cleanup();
      fixture = undefined;
      return result.ok ? result.pack.tasks[0]!.accelerate : "failed";
    };
    expect(load('{ "title": "Double it" }')).toBeUndefined();
    expect(load('{ "title": "Double it", "accelerate": "cpu" }')).toBeUndefined();
    expect(load('{ "title": "Double it", "accelerate": "auto" }')).toBe("auto");
    expect(load('{ "title": "Double it", "accelerate": "gpu" }')).toBe("gpu");
    expect(
      problemsOf({ "tasks/double/task.json": '{\n  "title": "Double it",\n  "accelerate": "webgpu"\n}\n' }),
    ).toEqual(['tasks/double/task.json:3: "accelerate": Invalid option: expected one of "auto"|"gpu"|"cpu"']);
  });

  it("reports JavaScript syntax errors with line and column", () => {
    expect(
      problemsOf({
        "tasks/double/solution.js": "export function double(x) {\n  return 2 * x\n  let = ;\n}\n",
        "tasks/double/checks.js": 'import { check } from "scratch/check";\ncheck("x", () => {\n',
      }),
    ).toEqual([
      "tasks/double/solution.js:3: syntax error: The keyword 'let' is reserved (column 3)",
      "tasks/double/checks.js:3: syntax error: Unexpected token (column 1)",
    ]);
  });

  it("reports imports the task does not allow and imports that are not scratch", () => {
    const starter =
      'import { grad } from "scratch/autograd";\nimport fs from "fs";\nexport function double(x) { return x; }\n';
    expect(problemsOf({ "tasks/double/starter.js": starter })).toEqual([
      'tasks/double/starter.js:1: imports "scratch/autograd", which this task does not allow (task.json modules: scratch/check)',
      'tasks/double/starter.js:2: imports "fs": only "scratch", its sub-modules (scratch/tensor, scratch/autograd, scratch/nn, scratch/optim, scratch/data, scratch/plot, scratch/check, scratch/metrics) and the pack\'s modules (pack/<name>) can be imported',
    ]);
  });

  it("reports check modules importing a sub-module the task does not allow", () => {
    const checks =
      'import { check } from "scratch/check";\nimport { tensor } from "scratch/tensor";\ncheck("x", () => {});\n';
    expect(problemsOf({ "tasks/double/hidden.js": checks })).toEqual([
      'tasks/double/hidden.js:2: imports "scratch/tensor", which this task does not allow (task.json modules: scratch/check)',
    ]);
  });

  it("reports names a scratch module does not export, and where they are", () => {
    const taskJson = JSON.stringify({
      title: "Double it",
      modules: ["scratch/tensor", "scratch/data", "scratch/check"],
    });
    const starter =
      'import { data } from "scratch/data";\nimport { nn, tensor } from "scratch";\nimport { tidy } from "scratch/data";\nexport function double(x) { return x; }\n';
    expect(problemsOf({ "tasks/double/task.json": taskJson, "tasks/double/starter.js": starter })).toEqual([
      'tasks/double/starter.js:1: imports "data" from "scratch/data", which does not export it: the namespace is import { data } from "scratch", or import * as data from "scratch/data"',
      'tasks/double/starter.js:2: imports "nn" from "scratch", which does not export it: this task does not allow scratch/nn',
      'tasks/double/starter.js:3: imports "tidy" from "scratch/data", which does not export it (it is in "scratch/tensor")',
    ]);
  });

  it("reports checks that use something the attendee module does not export", () => {
    expect(problemsOf({ "tasks/double/starter.js": "export function twice(x) {\n  return x;\n}\n" })).toEqual(
      [
        "tasks/double/checks.js:4: uses attempt.double, which starter.js does not export",
        "tasks/double/hidden.js:4: uses attempt.double, which starter.js does not export",
      ],
    );
  });

  it("loads the pack's own modules and gives them to every task", () => {
    fixture = writePack({
      "modules/twice.js": "export const twice = (x) => 2 * x;\n",
      "modules/env.js": 'import { twice } from "pack/twice";\nexport const start = () => twice(1);\n',
      "tasks/double/solution.js": 'import { twice } from "pack/twice";\nexport const double = twice;\n',
    });
    const result = loadPack(fixture.dir);
    expect(result.ok && result.pack.tasks[0]!.packModules).toEqual({
      "pack/env": 'import { twice } from "pack/twice";\nexport const start = () => twice(1);\n',
      "pack/twice": "export const twice = (x) => 2 * x;\n",
    });
  });

  it("reports broken pack modules and imports of them", () => {
    expect(
      problemsOf({
        "modules/Env.js": "export const a = 1;\n",
        "modules/env.js": 'import * as a from "attempt";\nimport fs from "fs";\nexport const e = (;\n',
        "modules/plots.js":
          'import { plot } from "scratch/plot";\nexport const show = (xs) => plot.line(xs);\n',
        "tasks/double/starter.js":
          'import { nope } from "pack/plots";\nimport { show } from "pack/plots";\nimport "pack/missing";\nexport const double = (x) => show([x]);\n',
      }),
    ).toEqual([
      "modules/Env.js: pack module files are modules/<name>.js, the name lower-case letters, digits and dashes",
      "modules/env.js:3: syntax error: Unexpected token (column 19)",
      'tasks/double/starter.js:1: imports "nope" from "pack/plots", which does not export it',
      'tasks/double/starter.js:3: imports "pack/missing", but the pack has no modules/missing.js',
      'modules/plots.js:1: imports "scratch/plot", which task "double" (which uses pack/plots) does not allow in its task.json modules',
    ]);
    expect(problemsOf({ "modules/env.js": 'import * as a from "attempt";\nimport fs from "fs";\n' })).toEqual(
      [
        'modules/env.js:1: imports "attempt": pack modules are given code and cannot see the attendee\'s module',
        'modules/env.js:2: imports "fs": a pack module may import only "scratch", its sub-modules and the pack\'s modules (pack/env)',
      ],
    );
  });

  it("reports KaTeX that does not render, ignoring dollars in code", () => {
    const markdown =
      "# Hi\n\nSome `$code$` and\n\n```js\nconst s = '$5'\n```\n\n$$\n\\frac{1}{\n$$\n\nand $\\foo{x}$ inline\n";
    expect(problemsOf({ "exposition/01-intro.md": markdown })).toEqual([
      "exposition/01-intro.md:9: KaTeX: cannot render \"\\frac{1}{\": Unexpected end of input in a macro argument, expected '}' at end of input",
      'exposition/01-intro.md:13: KaTeX: cannot render "\\foo{x}": Undefined control sequence',
    ]);
  });

  it("reports badly named snippets", () => {
    expect(problemsOf({ "exposition/intro.md": "# Hi\n" })).toEqual([
      "exposition/intro.md: snippet file names are NN-name.md (two digits, lower-case name)",
    ]);
  });
});
