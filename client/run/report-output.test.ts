import { describe, expect, it } from "vitest";
import { type RunEvent } from "../../sandbox/events.js";
import { REPORT_OUTPUT } from "../../contract/run-report.js";
import { runReportSchema } from "../../contract/run-report.js";
import { applyEvent, captureOutput, emptyOutcome, reportFor, type ConsoleLine } from "./report.js";

const bytes = (lines: ConsoleLine[]) =>
  lines.reduce((n, l) => n + new TextEncoder().encode(l.text).length, 0);
const log = (text: string, level: ConsoleLine["level"] = "log"): ConsoleLine => ({ level, text });

describe("captureOutput", () => {
  it("keeps every line of a short run with its level", () => {
    const lines = [log("loss 0.5"), log("careful", "warn"), log("boom", "error")];
    expect(captureOutput(lines)).toEqual({ output: lines, omitted: 0 });
  });

  it("keeps the last 50 lines and counts the rest, with lines the room dropped already", () => {
    const lines = Array.from({ length: 120 }, (_, i) => log(`step ${i}`));
    const { output, omitted } = captureOutput(lines, 7);
    expect(output).toHaveLength(REPORT_OUTPUT.lines);
    expect(output[0]!.text).toBe("step 70");
    expect(output.at(-1)!.text).toBe("step 119");
    expect(omitted).toBe(70 + 7);
  });

  it("cuts a long line to 500 characters ending with an ellipsis", () => {
    const { output } = captureOutput([log("x".repeat(10_000))]);
    expect(output[0]!.text).toHaveLength(REPORT_OUTPUT.lineChars);
    expect(output[0]!.text.endsWith("…")).toBe(true);
  });

  it("never splits a surrogate pair when cutting", () => {
    const { output } = captureOutput([log("a".repeat(498) + "😀".repeat(10))]);
    const text = output[0]!.text;
    expect(text.length).toBeLessThanOrEqual(REPORT_OUTPUT.lineChars);
    expect(text).toBe("a".repeat(498) + "…");
  });

  it("stays within 8 KB of UTF-8 in all, keeping the newest lines", () => {
    // 40 lines of 300 three-byte characters: 900 bytes a line, so only 9 fit.
    const lines = Array.from({ length: 40 }, (_, i) => log(`${i}`.padStart(2, "0") + "€".repeat(298)));
    const { output, omitted } = captureOutput(lines);
    expect(bytes(output)).toBeLessThanOrEqual(REPORT_OUTPUT.totalBytes);
    expect(output).toHaveLength(9);
    expect(output.at(-1)!.text.startsWith("39")).toBe(true);
    expect(omitted).toBe(31);
  });
});

describe("reportFor with console output", () => {
  it("carries the capped output of the run; a silent run carries none", () => {
    const events: RunEvent[] = [
      { type: "console", level: "log", text: '<img src=x onerror="alert(1)">', t: 0 },
      { type: "console", level: "error", text: "bad", t: 1 },
      { type: "done", status: "ok", durationMs: 3, t: 2 },
    ];
    const report = reportFor("gd", events.reduce(applyEvent, emptyOutcome()));
    expect(report.output).toEqual([log('<img src=x onerror="alert(1)">'), log("bad", "error")]);
    expect(report.outputOmitted).toBeUndefined();
    const silent = reportFor(
      "gd",
      applyEvent(emptyOutcome(), { type: "done", status: "ok", durationMs: 1, t: 0 }),
    );
    expect(silent).not.toHaveProperty("output");
  });
});

describe("the report the room sends", () => {
  it("fits the contract's run-report schema even for a run that printed more than a report carries", () => {
    const events: RunEvent[] = [
      ...Array.from({ length: 3000 }, (_, i): RunEvent => ({
        type: "console",
        level: "log",
        text: `${"é".repeat(700)} ${i}`,
        t: i,
      })),
      ...Array.from({ length: 500 }, (_, i): RunEvent => ({
        type: "metric",
        name: "loss",
        step: i,
        value: 1 / (i + 1),
        t: i,
      })),
      { type: "metric", name: "loss", step: 500, value: Number.NaN, t: 500 },
      { type: "done", status: "ok", durationMs: 3, t: 501 },
    ];
    const report = reportFor("gd", events.reduce(applyEvent, emptyOutcome()));
    expect(runReportSchema.parse(report)).toEqual(report);
  });
});
