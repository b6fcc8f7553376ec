import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../sandbox/events.js";
import type { PublicTask } from "../../server/packs/format.js";
import {
  applyEvent,
  CONSOLE_LINES,
  downsample,
  emptyOutcome,
  errorSummary,
  firstFailure,
  reportFor,
  runRequestFor,
} from "./report.js";

const task: PublicTask = {
  id: "gd",
  title: "Gradient descent",
  instructions: "",
  starter: "",
  checks: "check()",
  modules: ["scratch/plot"],
  seed: 7,
  timeBudgetMs: 5000,
  hintCount: 1,
};

const fold = (events: RunEvent[]) => events.reduce(applyEvent, emptyOutcome());

describe("runRequestFor", () => {
  it("carries the editor text, the visible checks, the allowed modules, the seed and the time budget", () => {
    expect(runRequestFor(task, "export const x = 1;")).toEqual({
      source: "export const x = 1;",
      filename: "main.js",
      checks: [{ name: "checks.js", source: "check()" }],
      allowedModules: ["scratch/plot"],
      seed: 7,
      limits: { timeoutMs: 5000 },
    });
  });
  it("leaves modules and seed unset when the task does not restrict them", () => {
    const { modules: _m, seed: _s, ...open } = task;
    const request = runRequestFor({ ...open, checks: "  " }, "");
    expect(request).not.toHaveProperty("allowedModules");
    expect(request).not.toHaveProperty("seed");
    expect(request.checks).toEqual([]);
  });
});

describe("applyEvent", () => {
  it("streams console lines, replaces a re-sent plot, collects metrics and checks, and ends on done", () => {
    const outcome = fold([
      { type: "console", level: "log", text: "hello", t: 1 },
      { type: "plot", plot: { id: "p", kind: "line", series: [{ x: [0], y: [1] }] }, t: 2 },
      { type: "metric", name: "loss", step: 0, value: 2, t: 3 },
      { type: "metric", name: "loss", step: 1, value: 1, t: 4 },
      { type: "plot", plot: { id: "p", kind: "line", series: [{ x: [0, 1], y: [1, 0] }] }, t: 5 },
      { type: "check", check: { name: "a", passed: false, hint: "sign?" }, t: 6 },
      {
        type: "done",
        status: "error",
        error: { kind: "runtime", message: "boom", line: 3 },
        durationMs: 12.4,
        t: 7,
      },
    ]);
    expect(outcome.console).toEqual([{ level: "log", text: "hello" }]);
    expect(outcome.plots).toHaveLength(1);
    expect(outcome.plots[0]!.series![0]!.x).toEqual([0, 1]);
    expect(outcome.metrics.loss!.map((p) => p.value)).toEqual([2, 1]);
    expect(outcome.running).toBe(false);
    expect(outcome.status).toBe("error");
    expect(outcome.error?.line).toBe(3);
  });
  it("keeps only the last CONSOLE_LINES lines and counts the dropped ones", () => {
    const events: RunEvent[] = Array.from({ length: CONSOLE_LINES + 5 }, (_, i) => ({
      type: "console",
      level: "log",
      text: String(i),
      t: i,
    }));
    const outcome = fold(events);
    expect(outcome.console).toHaveLength(CONSOLE_LINES);
    expect(outcome.droppedLines).toBe(5);
    expect(outcome.console[0]!.text).toBe("5");
  });
});

describe("reportFor", () => {
  it("summarises checks, downsampled metrics, the error in attendee code and the duration", () => {
    const losses: RunEvent[] = Array.from({ length: 1000 }, (_, i) => ({
      type: "metric",
      name: "loss",
      step: i,
      value: 1000 - i,
      t: i,
    }));
    const outcome = fold([
      ...losses,
      { type: "check", check: { name: "a", passed: true }, t: 1 },
      {
        type: "done",
        status: "error",
        error: { kind: "runtime", message: "x is not defined", line: 4, module: "main.js" },
        durationMs: 33.3,
        t: 2,
      },
    ]);
    const report = reportFor("gd", outcome);
    expect(report.taskId).toBe("gd");
    expect(report.status).toBe("error");
    expect(report.checks).toEqual([{ name: "a", passed: true }]);
    expect(report.metrics.loss).toHaveLength(200);
    expect(report.metrics.loss![0]).toBe(1000);
    expect(report.metrics.loss![199]).toBe(1);
    expect(report.error).toEqual({ kind: "runtime", message: "x is not defined", line: 4 });
    expect(report.durationMs).toBe(33);
  });
  it("keeps a check's metrics and plots apart: a check calling attempt.fit() splices nothing into the curve", () => {
    const loss = (step: number, value: number, check?: string): RunEvent => ({
      type: "metric",
      name: "loss",
      step,
      value,
      t: step,
      ...(check ? { check } : {}),
    });
    const plot = (title: string, check?: string): RunEvent => ({
      type: "plot",
      plot: { id: "plot-1", kind: "line", title, series: [{ x: [0], y: [1] }] },
      t: 5,
      ...(check ? { check } : {}),
    });
    const outcome = fold([
      loss(0, 3),
      loss(1, 2),
      loss(2, 1),
      plot("attendee"),
      loss(0, 9, "checks.js"),
      loss(1, 8, "checks.js"),
      plot("from the check", "checks.js"),
      { type: "done", status: "ok", durationMs: 5, t: 6 },
    ]);
    expect(reportFor("gd", outcome).metrics).toEqual({ loss: [3, 2, 1] });
    expect(outcome.plots.map((p) => p.title)).toEqual(["attendee"]);
    expect(outcome.checkOutput.metrics.loss!.map((p) => p.value)).toEqual([9, 8]);
    expect(outcome.checkOutput.plots.map((p) => p.title)).toEqual(["from the check"]);
  });

  it("drops the line of an error raised in a check module", () => {
    const outcome = fold([
      {
        type: "done",
        status: "error",
        error: { kind: "runtime", message: "m", line: 9, module: "checks.js" },
        durationMs: 1,
        t: 0,
      },
    ]);
    expect(reportFor("gd", outcome).error).toEqual({ kind: "runtime", message: "m" });
  });
  it("keeps series finite and records where each series first went NaN or infinite", () => {
    const metric = (name: string, step: number, value: number): RunEvent => ({
      type: "metric",
      name,
      step,
      value,
      t: step,
    });
    const report = reportFor(
      "gd",
      fold([
        metric("loss", 0, 4),
        metric("loss", 1, 2),
        metric("loss", 2, Number.NaN),
        metric("loss", 3, Number.POSITIVE_INFINITY),
        metric("grad", 0, 1),
        metric("grad", 1, Number.NEGATIVE_INFINITY),
        metric("acc", 0, 0.5),
        { type: "done", status: "ok", durationMs: 1, t: 9 },
      ]),
    );
    expect(report.metrics).toEqual({ loss: [4, 2], grad: [1], acc: [0.5] });
    expect(report.nonFinite).toEqual({
      loss: { step: 2, value: "NaN" },
      grad: { step: 1, value: "-Infinity" },
    });
    // JSON round trip: what the server receives is what was meant.
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    const finite = reportFor(
      "gd",
      fold([metric("loss", 0, 1), { type: "done", status: "ok", durationMs: 1, t: 1 }]),
    );
    expect(finite).not.toHaveProperty("nonFinite");
  });
  it("reports a run that never finished as an error", () => {
    expect(reportFor("gd", emptyOutcome()).status).toBe("error");
  });
});

describe("helpers", () => {
  it("downsample keeps the ends and the length", () => {
    expect(downsample([1, 2, 3], 5)).toEqual([1, 2, 3]);
    const d = downsample(
      Array.from({ length: 11 }, (_, i) => i),
      3,
    );
    expect(d).toEqual([0, 5, 10]);
  });
  it("firstFailure finds the first failing check", () => {
    expect(
      firstFailure([
        { name: "a", passed: true },
        { name: "b", passed: false, hint: "h" },
        { name: "c", passed: false },
      ])?.name,
    ).toBe("b");
    expect(firstFailure([{ name: "a", passed: true }])).toBeUndefined();
  });
  it("errorSummary names the line in attendee code and the limit hit", () => {
    expect(errorSummary({ kind: "runtime", message: "boom", line: 2 })).toBe("Line 2: boom");
    expect(errorSummary({ kind: "limit", limit: "time", message: "ran over 5000 ms" })).toBe(
      "time limit: ran over 5000 ms",
    );
    expect(errorSummary({ kind: "runtime", message: "bad", line: 3, module: "scratch/nn" })).toBe(
      "scratch/nn:3: bad",
    );
  });
});
