import { describe, expect, it } from "vitest";
import type { CheckResult, RunError, RunEvent, RunRequest } from "../../sandbox/events.js";
import type { Pack, Task } from "./format.js";
import {
  formatDuration,
  formatReport,
  reportJson,
  verifyPacks,
  verifyTask,
  type TaskRunner,
} from "./verify.js";

const task: Task = {
  id: "double",
  title: "Double it",
  instructions: "Write double(x).",
  starter: "STARTER",
  solution: "SOLUTION",
  checks: "CHECKS",
  hidden: "HIDDEN",
  hints: [],
  modules: ["scratch/check"],
  seed: 7,
  timeBudgetMs: 5000,
};
const pack: Pack = {
  id: "tiny",
  title: "Tiny",
  track: "workshop",
  duration: 30,
  level: "beginner",
  exposition: [],
  tasks: [task],
};

interface Script {
  checks?: CheckResult[];
  error?: RunError;
  durationMs?: number;
  /** Milliseconds to wait before the first event. */
  delayMs?: number;
  /** Leave out the done event (a broken runner). */
  noDone?: boolean;
}

const pass = (name: string, hidden = false): CheckResult => ({
  name,
  passed: true,
  ...(hidden ? { hidden } : {}),
});
const fail = (name: string, message: string, hint?: string): CheckResult => ({
  name,
  passed: false,
  message,
  ...(hint ? { hint } : {}),
});

/** A runner that plays back a script per source ("SOLUTION", "STARTER"), recording requests. */
function scriptedRunner(scripts: Record<string, Script>): TaskRunner & { requests: RunRequest[] } {
  const requests: RunRequest[] = [];
  return {
    requests,
    async run(request, onEvent) {
      requests.push(request);
      const script = scripts[request.source] ?? {};
      if (script.delayMs) await new Promise((r) => setTimeout(r, script.delayMs));
      for (const check of script.checks ?? []) onEvent({ type: "check", check, t: 1 });
      if (script.noDone) return;
      const done: RunEvent = {
        type: "done",
        status: script.error ? "error" : "ok",
        ...(script.error ? { error: script.error } : {}),
        durationMs: script.durationMs ?? 10,
        t: 2,
      };
      onEvent(done);
    },
  };
}

const good: Record<string, Script> = {
  SOLUTION: { checks: [pass("double 2"), pass("double -3", true)] },
  STARTER: { checks: [fail("double 2", "expected 4, got 2"), pass("double -3", true)] },
};

describe("verifyTask", () => {
  it("passes a task whose reference passes every check and whose starter fails one", async () => {
    const runner = scriptedRunner(good);
    const verdict = await verifyTask(runner, pack, task);
    expect(verdict.problems).toEqual([]);
    expect(verdict.ok).toBe(true);
    expect(verdict.reference.firstFeedbackMs).not.toBeNull();
  });

  it("runs the reference and the starter with visible and hidden checks, modules, seed and budget", async () => {
    const runner = scriptedRunner(good);
    await verifyTask(runner, pack, task);
    expect(runner.requests.map((r) => r.source)).toEqual(["SOLUTION", "STARTER"]);
    expect(runner.requests[0]).toEqual({
      source: "SOLUTION",
      filename: "solution.js",
      checks: [
        { name: "checks.js", source: "CHECKS" },
        { name: "hidden.js", source: "HIDDEN", hidden: true },
      ],
      allowedModules: ["scratch/check"],
      seed: 7,
      limits: { timeoutMs: 5000 },
    });
  });

  it("caps the time budget at the 60 s ceiling", async () => {
    const runner = scriptedRunner(good);
    await verifyTask(runner, pack, { ...task, timeBudgetMs: 300_000 });
    expect(runner.requests[0]!.limits).toEqual({ timeoutMs: 60_000 });
  });

  it("fails a reference that fails a check, naming the check, the message and the hint", async () => {
    const runner = scriptedRunner({
      ...good,
      SOLUTION: {
        checks: [
          fail("double 2", "element [0]: expected 4, got -4", "looks like the sign is flipped"),
          pass("h", true),
        ],
      },
    });
    const verdict = await verifyTask(runner, pack, task);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toEqual([
      'reference: check "double 2" failed: element [0]: expected 4, got -4 (looks like the sign is flipped)',
    ]);
  });

  it("words a sub-second budget in milliseconds, not as 0.1 s", async () => {
    const runner = scriptedRunner({
      ...good,
      SOLUTION: { error: { kind: "limit", limit: "time", message: "time limit exceeded" }, durationMs: 51 },
    });
    const verdict = await verifyTask(runner, pack, { ...task, timeBudgetMs: 50 });
    expect(verdict.problems).toEqual(["reference solution ran over its time budget of 50 ms"]);
    expect(formatDuration(50)).toBe("50 ms");
    expect(formatDuration(1050)).toBe("1.05 s");
    expect(formatDuration(60_000)).toBe("60 s");
  });

  it("fails when the checks throw", async () => {
    const runner = scriptedRunner({
      ...good,
      SOLUTION: {
        error: { kind: "runtime", message: "attempt.triple is not a function", module: "checks.js", line: 4 },
      },
    });
    const verdict = await verifyTask(runner, pack, task);
    expect(verdict.problems).toEqual([
      "reference solution failed: runtime error at checks.js:4: attempt.triple is not a function",
    ]);
  });

  it("fails a reference over its time budget", async () => {
    const runner = scriptedRunner({
      ...good,
      SOLUTION: {
        error: { kind: "limit", limit: "time", message: "time limit of 5000 ms exceeded" },
        durationMs: 5001,
      },
    });
    const verdict = await verifyTask(runner, pack, task);
    expect(verdict.problems).toEqual(["reference solution ran over its time budget of 5 s"]);
  });

  it("fails a reference that reports success but took longer than its budget", async () => {
    const runner = scriptedRunner({ ...good, SOLUTION: { ...good.SOLUTION, durationMs: 6500 } });
    const verdict = await verifyTask(runner, pack, task);
    expect(verdict.problems).toEqual(["reference solution took 6.5 s, over its time budget of 5 s"]);
  });

  it("fails when the checks or the hidden checks run no check", async () => {
    const none = await verifyTask(scriptedRunner({ ...good, SOLUTION: { checks: [] } }), pack, task);
    expect(none.problems).toEqual([
      "checks.js ran no check (it must call check(name, fn))",
      "hidden.js ran no check (it must call check(name, fn))",
      "reference gave no feedback (no check result and no metric)",
    ]);
  });

  it("fails when the first feedback comes later than the target", async () => {
    const runner = scriptedRunner({ ...good, SOLUTION: { ...good.SOLUTION, delayMs: 60 } });
    const verdict = await verifyTask(runner, pack, task, { firstFeedbackMs: 20 });
    expect(verdict.problems).toHaveLength(1);
    expect(verdict.problems[0]).toMatch(/^first feedback after \d+ ms, over the 20 ms target/);
  });

  it("fails a starter that passes every check", async () => {
    const verdict = await verifyTask(scriptedRunner({ ...good, STARTER: good.SOLUTION! }), pack, task);
    expect(verdict.problems).toEqual(["starter code passes all 2 checks: it must fail at least one"]);
  });

  it("accepts a starter that stops at a runtime error, but not one that does not load", async () => {
    const runtime = await verifyTask(
      scriptedRunner({ ...good, STARTER: { error: { kind: "runtime", message: "TODO" } } }),
      pack,
      task,
    );
    expect(runtime.ok).toBe(true);
    const syntax = await verifyTask(
      scriptedRunner({
        ...good,
        STARTER: { error: { kind: "syntax", message: "Unexpected token", module: "starter.js", line: 3 } },
      }),
      pack,
      task,
    );
    expect(syntax.problems).toEqual([
      "starter code does not load: syntax error at starter.js:3: Unexpected token",
    ]);
  });

  it("fails when the runner never reports done", async () => {
    const verdict = await verifyTask(
      scriptedRunner({ ...good, SOLUTION: { noDone: true, checks: [] } }),
      pack,
      task,
    );
    expect(verdict.problems).toEqual([
      "reference solution failed: internal error: the runner finished without a done event",
    ]);
  });
});

describe("verifyPacks", () => {
  const second: Task = { ...task, id: "triple", solution: "SOLUTION", starter: "SOLUTION" };
  const twoTasks: Pack = { ...pack, tasks: [task, second] };

  it("verifies every task, keeps pack order with several jobs, and fails if any task fails", async () => {
    const seen: string[] = [];
    const report = await verifyPacks(scriptedRunner(good), [twoTasks], {
      jobs: 2,
      onVerdict: (v) => seen.push(v.task),
    });
    expect(report.verdicts.map((v) => [v.task, v.ok])).toEqual([
      ["double", true],
      ["triple", false],
    ]);
    expect(seen.sort()).toEqual(["double", "triple"]);
    expect(report.ok).toBe(false);
  });

  it("formats a table with problems and a total, and JSON for the README", async () => {
    const report = await verifyPacks(scriptedRunner(good), [twoTasks]);
    const text = formatReport(report);
    const lines = text.split("\n");
    expect(lines[0]).toBe("pack | task   | reference         | starter           | seconds | first feedback");
    expect(lines[2]).toMatch(
      /^tiny \| double \| passes 2\/2 checks \| fails 1\/2 checks {2}\| 0\.01 {4}\| 0\.\d\d$/,
    );
    expect(lines[3]).toMatch(/^tiny \| triple \| passes 2\/2 checks \| PASSES 2\/2 checks \| 0\.01/);
    expect(text).toContain("tiny/triple:\n  - starter code passes all 2 checks: it must fail at least one");
    expect(lines.at(-1)).toMatch(/^1 pack\(s\), 2 task\(s\), 1 failed; total \d+\.\d s$/);
    const json = reportJson(report) as {
      ok: boolean;
      tasks: { task: string; ok: boolean; referenceSeconds: number }[];
    };
    expect(json.ok).toBe(false);
    expect(json.tasks.map((t) => [t.task, t.ok, t.referenceSeconds])).toEqual([
      ["double", true, 0.01],
      ["triple", false, 0.01],
    ]);
  });
});
