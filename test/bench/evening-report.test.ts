/**
 * The classroom evening's run reports (bench/sync-classroom-evening.ts) are ones the server takes:
 * they pass the route's own body schema, carry the marker the dashboard timing matches on, and are
 * the size of a real training run's report.
 */
import { describe, expect, it } from "vitest";
import { runReportBody } from "../../contract/run-report.js";
import { DEFAULT_LIMITS } from "../../server/config.js";
import { EVENING_TASK, trainingReport } from "../../bench/sync-classroom-evening.js";

/** A deterministic stand-in for Math.random. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 16807) % 2147483647) / 2147483647;
}

describe("the classroom evening's run report", () => {
  it("passes the POST /runs body schema, first attempts failing a check and later ones passing", () => {
    const body = runReportBody(DEFAULT_LIMITS.maxMetricPoints);
    const first = body.parse(trainingReport("#run:7#", 0, lcg(3)));
    expect(first.taskId).toBe(EVENING_TASK);
    expect(first.checks.some((c) => !c.passed)).toBe(true);
    expect(first.status).toBe("error");
    expect(first.output?.[0]?.text).toContain("#run:7#");
    expect(first.metrics.loss).toHaveLength(200);
    const later = body.parse(trainingReport("#run:8#", 4, lcg(3)));
    expect(later.checks.every((c) => c.passed)).toBe(true);
    expect(later.status).toBe("ok");
  });

  it("is about 10 KB of JSON, like a training run's report with its curves and console", () => {
    const size = JSON.stringify(trainingReport("#run:1#", 1, lcg(5))).length;
    expect(size).toBeGreaterThan(8_000);
    expect(size).toBeLessThan(14_000);
  });
});
