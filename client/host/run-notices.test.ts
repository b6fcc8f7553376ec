import { describe, expect, it } from "vitest";
import { parseParticipant, parseProgress, parseReport, parseRunNotice } from "./run-notices.js";

const report = {
  taskId: "t1",
  status: "ok",
  checks: [{ name: "a", passed: true }],
  metrics: { loss: [2, 1, "x"] },
  durationMs: 5,
};

describe("parseRunNotice", () => {
  it("accepts a nested report or a flat one", () => {
    expect(parseRunNotice({ participantId: "p", at: 5, report })).toEqual({
      participantId: "p",
      at: 5,
      report: {
        taskId: "t1",
        status: "ok",
        checks: [{ name: "a", passed: true }],
        metrics: { loss: [2, 1] },
        durationMs: 5,
      },
    });
    expect(parseRunNotice({ participantId: "p", createdAt: "1970-01-01T00:00:01.000Z", ...report })?.at).toBe(
      1000,
    );
  });
  it("rejects records without a participant or a task, and coerces a malformed error", () => {
    expect(parseRunNotice({ report })).toBeNull();
    expect(parseRunNotice({ participantId: "p", report: { status: "ok" } })).toBeNull();
    const notice = parseRunNotice({
      participantId: "p",
      at: 1,
      report: { ...report, status: "weird", error: { kind: "<b>", message: "m", line: 3 } },
    });
    expect(notice?.report.status).toBe("error");
    expect(notice?.report.error).toEqual({ kind: "runtime", message: "m", line: 3 });
  });
  it("keeps console output as plain lines: text only, known levels, capped", () => {
    const output = [
      { level: "warn", text: "<img src=x onerror=alert(1)>" },
      { level: "<script>", text: "odd level" },
      { level: "log", text: 42 },
      "not a line",
      ...Array.from({ length: 60 }, (_, i) => ({ level: "log", text: `line ${i}` })),
    ];
    const notice = parseRunNotice({
      participantId: "p",
      at: 1,
      report: { ...report, output, outputOmitted: 9 },
    });
    const lines = notice!.report.output!;
    expect(lines).toHaveLength(50);
    expect(lines.at(-1)).toEqual({ level: "log", text: "line 59" });
    expect(notice!.report.outputOmitted).toBe(9);
    const few = parseRunNotice({
      participantId: "p",
      at: 1,
      report: { ...report, output: output.slice(0, 4) },
    });
    expect(few!.report.output).toEqual([
      { level: "warn", text: "<img src=x onerror=alert(1)>" },
      { level: "log", text: "odd level" },
    ]);
  });
});

describe("parseReport", () => {
  it("keeps where a series went non-finite and which limit ended a run, dropping malformed entries", () => {
    const report = parseReport({
      taskId: "t",
      status: "error",
      checks: [],
      metrics: { loss: [1, 2] },
      nonFinite: { loss: { step: 3, value: "NaN" }, acc: { step: 1, value: "nan" }, x: { value: "NaN" } },
      error: { kind: "limit", limit: "time", message: "ran over" },
      durationMs: 5,
    });
    expect(report?.nonFinite).toEqual({ loss: { step: 3, value: "NaN" } });
    expect(report?.error).toEqual({ kind: "limit", limit: "time", message: "ran over" });
    expect(parseReport({ taskId: "t", nonFinite: { a: { step: 1, value: "Bad" } } })).not.toHaveProperty(
      "nonFinite",
    );
  });
});

describe("parseProgress", () => {
  it("finds runs in a list of notices and under participants, oldest first", () => {
    const runs = parseProgress({
      participants: [
        { participantId: "p1", name: "a", tasks: { t1: { latestRun: { at: 20, ...report } } } },
        { participantId: "p2", tasks: [{ taskId: "t1", checksPassed: 1, latestRun: { at: 10, ...report } }] },
      ],
    });
    expect(runs.map((r) => [r.participantId, r.at])).toEqual([
      ["p2", 10],
      ["p1", 20],
    ]);
    expect(parseProgress([{ participantId: "p3", at: 1, report }])).toHaveLength(1);
    expect(parseProgress(null)).toEqual([]);
  });
});

describe("parseParticipant", () => {
  it("accepts participantId or id and needs a name", () => {
    expect(parseParticipant({ participantId: "p", name: "ada", workspaceId: "w", joinedAt: 5 })).toEqual({
      participantId: "p",
      name: "ada",
      workspaceId: "w",
      joinedAt: 5,
    });
    expect(parseParticipant({ id: "p", name: "ada" }, 9)).toEqual({
      participantId: "p",
      name: "ada",
      workspaceId: "",
      joinedAt: 9,
    });
    expect(parseParticipant({ id: "p" })).toBeNull();
  });
});
