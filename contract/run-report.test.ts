import { describe, expect, it } from "vitest";
import { pointSteps, runReportBody } from "./run-report.js";

const report = (metrics: Record<string, number[]>, extra: Record<string, unknown> = {}) => ({
  taskId: "t",
  status: "ok",
  checks: [],
  metrics,
  durationMs: 1,
  ...extra,
});

describe("training steps of thinned metric series", () => {
  it("records how many values a thinned series logged, and only for thinned ones", () => {
    const body = runReportBody(3).parse(report({ loss: [9, 8, 7, 6, 5, 4, 3, 2, 1], acc: [1, 2] }));
    expect(body.metrics).toEqual({ loss: [9, 5, 1], acc: [1, 2] });
    expect(body.metricSteps).toEqual({ loss: 9 });
  });
  it("ignores step counts an attendee claims", () => {
    const body = runReportBody(3).parse(report({ loss: [1, 2] }, { metricSteps: { loss: 1e6 } }));
    expect(body.metricSteps).toBeUndefined();
  });
  it("maps kept values back to their steps as thin() picked them", () => {
    expect(pointSteps(3, 9)).toEqual([0, 4, 8]);
    expect(pointSteps(3)).toEqual([0, 1, 2]);
    expect(pointSteps(1, 50)).toEqual([0]);
    expect(pointSteps(4, 10)).toEqual([0, 3, 6, 9]);
  });
});
