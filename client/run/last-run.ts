/**
 * A stored run report (what the host receives) turned back into what the room's output panels show:
 * the console lines it carries, its checks and error, and its metric series drawn as line plots
 * (reports carry no plot specs, so the host sees the metrics instead of the attendee's plots).
 */
import type { PlotSpec } from "../../sandbox/events.js";
import type { MetricSeries, RunReport } from "../../contract/run-report.js";
import type { RunOutcome } from "./report.js";

/** One line plot per metric series, x being the step index. */
export function metricPlots(metrics: MetricSeries): PlotSpec[] {
  return Object.entries(metrics)
    .filter(([, values]) => values.length > 0)
    .map(([name, values]) => ({
      id: `metric:${name}`,
      kind: "line",
      title: name,
      series: [{ name, x: values.map((_, i) => i), y: values }],
    }));
}

/** The finished outcome a report describes, for the room's Console, Checks, RunError and Plots. */
export function outcomeFromReport(report: RunReport): RunOutcome {
  const outcome: RunOutcome = {
    running: false,
    console: (report.output ?? []).map((l) => ({ level: l.level, text: l.text })),
    droppedLines: report.outputOmitted ?? 0,
    plots: metricPlots(report.metrics),
    metrics: {},
    checkOutput: { plots: [], metrics: {} },
    checks: report.checks,
    status: report.status,
    durationMs: report.durationMs,
  };
  if (report.error) {
    outcome.error = { kind: report.error.kind, message: report.error.message };
    if (report.error.line !== undefined) outcome.error.line = report.error.line;
    if (report.error.limit !== undefined) outcome.error.limit = report.error.limit;
  }
  return outcome;
}
