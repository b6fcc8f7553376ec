/**
 * verify against the real Node sandbox runner and the scratch library: the errors a host sees
 * for a reference over its budget, checks that throw, a failing reference and a passing starter.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeRunner, type NodeRunner } from "../../sandbox/runner/node.js";
import { loadPack } from "./load.js";
import { writePack, type Fixture } from "./test/fixture.js";
import { verifyTask, type TaskVerdict } from "./verify.js";

let runner: NodeRunner;
beforeAll(async () => {
  runner = createNodeRunner({ poolSize: 1 });
  await runner.ready();
});
afterAll(() => runner.close());

const fixtures: Fixture[] = [];
afterAll(() => fixtures.forEach((f) => f.cleanup()));

async function verify(changes: Record<string, string | null>): Promise<TaskVerdict> {
  const fixture = writePack(changes);
  fixtures.push(fixture);
  const result = loadPack(fixture.dir);
  if (!result.ok) throw new Error(`fixture does not load: ${JSON.stringify(result.problems)}`);
  // Timing is not under test here (the machine running the suite is busy): only what each case breaks.
  return verifyTask(runner, result.pack, result.pack.tasks[0]!, { firstFeedbackMs: 60_000 });
}

describe("verify in the sandbox", { timeout: 120_000 }, () => {
  it("passes a correct task and measures its first feedback", async () => {
    const verdict = await verify({});
    expect(verdict.problems).toEqual([]);
    expect(verdict.reference.checks.map((c) => [c.name, c.passed, c.hidden ?? false])).toEqual([
      ["double 2 is 4", true, false],
      ["double -3 is -6", true, true],
    ]);
    expect(verdict.reference.firstFeedbackMs).toBeGreaterThan(0);
  });

  it("fails a solution over its time budget", async () => {
    const verdict = await verify({
      "tasks/double/task.json": JSON.stringify({
        title: "Double it",
        modules: ["scratch/check"],
        timeBudgetMs: 1000,
      }),
      "tasks/double/solution.js": "export function double(x) {\n  return 2 * x;\n}\nfor (;;) {}\n",
    });
    expect(verdict.problems).toEqual(["reference solution ran over its time budget of 1 s"]);
  });

  it("fails when the checks throw", async () => {
    const verdict = await verify({
      "tasks/double/checks.js":
        'import { check } from "scratch/check";\nimport * as attempt from "attempt";\nthrow new Error("boom");\n',
    });
    expect(verdict.problems).toEqual([
      "reference solution failed: runtime error at checks.js:3:16: Error: boom",
    ]);
  });

  it("fails a reference that fails a check, with the check's message and hint", async () => {
    const verdict = await verify({
      "tasks/double/solution.js": "export function double(x) {\n  return -2 * x;\n}\n",
    });
    expect(verdict.problems).toEqual([
      'reference: check "double 2 is 4" failed: value: expected 4, got -4 (looks like the sign is flipped)',
      'reference: hidden check "double -3 is -6" failed: value: expected -6, got 6 (looks like the sign is flipped)',
    ]);
  });

  it("fails a starter that already passes", async () => {
    const verdict = await verify({
      "tasks/double/starter.js": "export function double(x) {\n  return x + x;\n}\n",
    });
    expect(verdict.problems).toEqual(["starter code passes all 2 checks: it must fail at least one"]);
  });
});
