/**
 * CI's `scratchroom verify` over every pack in sessions/: each pack loads, each reference passes
 * its visible and hidden checks within its time budget and gives feedback within 2 s, and each
 * starter fails. Prints the verify table and the total time.
 *
 * The machine running the test suite is busy (other test files run alongside), so a task that
 * fails on timing alone is verified once more on its own; a failing check, an error or a passing
 * starter fails at once.
 */
import { describe, expect, it } from "vitest";
import { createNodeRunner } from "../sandbox/runner/node.js";
import { formatProblems, loadPacks } from "../server/packs/load.js";
import { formatReport, verifyTask, verifyPacks, type TaskVerdict } from "../server/packs/verify.js";

const TIMING = /^(first feedback after|reference solution ran over its time budget|reference solution took)/;

const onlyTiming = (v: TaskVerdict) => !v.ok && v.problems.every((p) => TIMING.test(p));

describe("every pack in sessions/", () => {
  it(
    "verifies: references pass, starters fail, within budget",
    async () => {
      const results = loadPacks(import.meta.dirname);
      expect(results.flatMap((r) => (r.ok ? [] : [formatProblems(r.problems)]))).toEqual([]);
      const packs = results.flatMap((r) => (r.ok ? [r.pack] : []));
      expect(packs.length).toBeGreaterThan(0);

      const runner = createNodeRunner({ poolSize: 1 });
      try {
        await runner.ready();
        const report = await verifyPacks(runner, packs);
        for (const [i, verdict] of report.verdicts.entries()) {
          if (!onlyTiming(verdict)) continue;
          const pack = packs.find((p) => p.id === verdict.pack)!;
          report.verdicts[i] = await verifyTask(
            runner,
            pack,
            pack.tasks.find((t) => t.id === verdict.task)!,
          );
        }
        console.log(formatReport(report));
        expect(report.verdicts).toHaveLength(packs.reduce((n, p) => n + p.tasks.length, 0));
        expect(
          report.verdicts.filter((v) => !v.ok).map((v) => `${v.pack}/${v.task}: ${v.problems.join("; ")}`),
        ).toEqual([]);
      } finally {
        await runner.close();
      }
    },
    30 * 60_000,
  );
});
