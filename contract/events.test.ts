import { describe, expect, it } from "vitest";
import { parseSessionEvent, type RunNotice } from "./events.js";

const report = {
  taskId: "t1",
  status: "ok",
  checks: [{ name: "a", passed: true }],
  metrics: { loss: [2, 1] },
  durationMs: 5,
};
const notice = { id: 1, participantId: "p", workspaceId: "w", taskId: "t1", at: 5, report };
const run = (value: unknown) => parseSessionEvent("run", JSON.stringify(value));

describe("session events", () => {
  it("reads a run event as the server sends it", () => {
    const expected: RunNotice = { ...notice, report: { ...report, status: "ok" } };
    expect(run(notice)).toEqual(expected);
  });
  it("skips events that do not fit: no participant, no task, a malformed status, error or series, not JSON", () => {
    const { participantId: _p, ...anonymous } = notice;
    expect(run(anonymous)).toBeNull();
    expect(run({ ...notice, report: { status: "ok" } })).toBeNull();
    expect(run({ ...notice, report: { ...report, status: "weird" } })).toBeNull();
    expect(run({ ...notice, report: { ...report, error: { kind: "<b>", message: "m" } } })).toBeNull();
    expect(run({ ...notice, report: { ...report, metrics: { loss: [2, "x"] } } })).toBeNull();
    expect(run({ ...notice, report: { ...report, nonFinite: { a: { step: 1, value: "nan" } } } })).toBeNull();
    expect(parseSessionEvent("run", "{not json")).toBeNull();
  });
  it("keeps where a series went non-finite and which limit ended a run", () => {
    const parsed = run({
      ...notice,
      report: {
        ...report,
        status: "error",
        nonFinite: { loss: { step: 3, value: "NaN" } },
        error: { kind: "limit", limit: "time", message: "ran over" },
      },
    });
    expect(parsed?.report.nonFinite).toEqual({ loss: { step: 3, value: "NaN" } });
    expect(parsed?.report.error).toEqual({ kind: "limit", limit: "time", message: "ran over" });
  });
  it("carries console output as plain text lines of known levels, capped", () => {
    const html = { level: "warn", text: "<img src=x onerror=alert(1)>" };
    expect(run({ ...notice, report: { ...report, output: [html], outputOmitted: 9 } })?.report).toMatchObject(
      {
        output: [html],
        outputOmitted: 9,
      },
    );
    expect(run({ ...notice, report: { ...report, output: [{ level: "<script>", text: "x" }] } })).toBeNull();
    expect(run({ ...notice, report: { ...report, output: [{ level: "log", text: 42 }] } })).toBeNull();
    const many = Array.from({ length: 51 }, (_, i) => ({ level: "log", text: `line ${i}` }));
    expect(run({ ...notice, report: { ...report, output: many } })).toBeNull();
  });
  it("reads participants and needs a name", () => {
    const ada = { participantId: "p", name: "ada", workspaceId: "w", joinedAt: 5 };
    expect(parseSessionEvent("participant", JSON.stringify(ada))).toEqual(ada);
    expect(parseSessionEvent("participant", JSON.stringify({ participantId: "p" }))).toBeNull();
  });
});
