import { describe, expect, it } from "vitest";
import type { RunReport } from "../../contract/run-report.js";
import { metricPlots, outcomeFromReport } from "./last-run.js";
import { errorInAttendeeCode, errorSummary } from "./report.js";

const report: RunReport = {
  taskId: "gd",
  status: "error",
  checks: [{ name: "converges", passed: false, message: "x = 2.9" }],
  metrics: { loss: [3, 2, 1], empty: [] },
  durationMs: 40,
  error: { kind: "runtime", message: "x is not defined", line: 4 },
  output: [
    { level: "log", text: "step 1" },
    { level: "error", text: "<b>no</b>" },
  ],
  outputOmitted: 12,
};

describe("metricPlots", () => {
  it("draws each non-empty series as a line over its steps", () => {
    expect(metricPlots(report.metrics)).toEqual([
      {
        id: "metric:loss",
        kind: "line",
        title: "loss",
        series: [{ name: "loss", x: [0, 1, 2], y: [3, 2, 1] }],
      },
    ]);
  });
});

describe("outcomeFromReport", () => {
  it("gives the room's panels the console, omitted count, checks, plots and error of the report", () => {
    const outcome = outcomeFromReport(report);
    expect(outcome.running).toBe(false);
    expect(outcome.console).toEqual(report.output);
    expect(outcome.droppedLines).toBe(12);
    expect(outcome.checks).toEqual(report.checks);
    expect(outcome.plots.map((p) => p.id)).toEqual(["metric:loss"]);
    expect(outcome.status).toBe("error");
    // The error line is in the attendee's file, so the follow view can mark it.
    expect(errorInAttendeeCode(outcome.error!)).toBe(true);
    expect(errorSummary(outcome.error!)).toBe("Line 4: x is not defined");
  });
  it("a report without output or error shows an empty console and no error", () => {
    const { output: _o, outputOmitted: _n, error: _e, ...plain } = report;
    const outcome = outcomeFromReport({ ...plain, status: "ok" });
    expect(outcome.console).toEqual([]);
    expect(outcome.droppedLines).toBe(0);
    expect(outcome).not.toHaveProperty("error");
  });
});
