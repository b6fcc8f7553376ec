import { describe, expect, it } from "vitest";
import type { RunReport } from "../../contract/run-report.js";
import {
  alignCurves,
  classCurves,
  classRuns,
  codeSpan,
  describeFlag,
  fixDraft,
  flaggedRuns,
  flagRun,
  groupRuns,
  metricNames,
  normaliseError,
  recordLatest,
  suggestLogScale,
  type ClassRun,
  type LatestRuns,
} from "./class-view.js";

const report = (extra: Partial<RunReport> = {}): RunReport => ({
  taskId: "t",
  status: "ok",
  checks: [{ name: "shape", passed: true }],
  metrics: {},
  durationMs: 1,
  ...extra,
});
const run = (name: string, extra: Partial<RunReport> = {}): ClassRun => ({
  workspaceId: `w-${name}`,
  name,
  at: 1,
  report: report(extra),
});
const failing = [
  { name: "shape", passed: true },
  { name: "gradient", passed: false, message: "element [0]: expected 1, got -1" },
];
const decaying = Array.from({ length: 20 }, (_, i) => 2 * Math.exp(-i / 4));

describe("latest runs", () => {
  it("keeps each participant's newest run per task and names them", () => {
    let latest: LatestRuns = new Map();
    latest = recordLatest(latest, {
      participantId: "a",
      workspaceId: "w-a",
      at: 5,
      report: report({ durationMs: 5 }),
    });
    latest = recordLatest(latest, {
      participantId: "a",
      workspaceId: "w-a",
      at: 3,
      report: report({ durationMs: 3 }),
    });
    latest = recordLatest(latest, {
      participantId: "b",
      workspaceId: "w-b",
      at: 4,
      report: report({ taskId: "u" }),
    });
    latest = recordLatest(latest, { participantId: "c", workspaceId: "w-c", at: 4, report: report() });
    const runs = classRuns(
      latest,
      "t",
      new Map([
        ["w-a", "zoe"],
        ["w-c", "Ann"],
      ]),
    );
    expect(runs.map((r) => [r.name, r.report.durationMs])).toEqual([
      ["Ann", 1],
      ["zoe", 5],
    ]);
    // A workspace no unit works in any more is left out.
    expect(classRuns(latest, "u", new Map())).toEqual([]);
    // A pair's runs are one unit's, whichever member ran last.
    latest = recordLatest(latest, {
      participantId: "d",
      workspaceId: "w-a",
      at: 9,
      report: report({ durationMs: 9 }),
    });
    expect(
      classRuns(latest, "t", new Map([["w-a", "zoe & Dan"]])).map((r) => [r.name, r.report.durationMs]),
    ).toEqual([["zoe & Dan", 9]]);
  });
  it("lists metrics with loss first", () => {
    expect(
      metricNames([
        run("a", { metrics: { acc: [1], loss: [1] } }),
        run("b", { nonFinite: { zeta: { step: 0, value: "NaN" } } }),
      ]),
    ).toEqual(["loss", "acc", "zeta"]);
  });
});

describe("flags", () => {
  it("flags NaN and infinity at the step the series broke", () => {
    const flag = flagRun(
      report({ metrics: { loss: [3, 2] }, nonFinite: { loss: { step: 2, value: "NaN" } } }),
      "loss",
    );
    expect(flag).toEqual({ kind: "non-finite", step: 2, value: "NaN" });
    expect(describeFlag(flag!)).toBe("NaN at step 2");
    expect(flagRun(report({ nonFinite: { acc: { step: 0, value: "Infinity" } } }), "loss")).toBeNull();
  });
  it("flags a loss that ends (sustained) above where it started", () => {
    const rising = Array.from({ length: 20 }, (_, i) => 1.2 ** i);
    const flag = flagRun(report({ metrics: { loss: rising } }), "loss");
    expect(flag).toMatchObject({ kind: "diverging", from: 1 });
    expect(describeFlag(flag!)).toMatch(/^diverging: 1 → 31\.9$/);
    // One spike at the end is not sustained; a healthy decay is not divergence.
    expect(flagRun(report({ metrics: { loss: [...decaying.slice(0, 19), 5] } }), "loss")).toBeNull();
    expect(flagRun(report({ metrics: { loss: decaying } }), "loss")).toBeNull();
    // Too short to tell.
    expect(flagRun(report({ metrics: { loss: [1, 2, 3, 4] } }), "loss")).toBeNull();
  });
  it("reads accuracy the other way round", () => {
    const rising = Array.from({ length: 20 }, (_, i) => i / 20);
    expect(flagRun(report({ metrics: { accuracy: rising } }), "accuracy")).toBeNull();
    expect(flagRun(report({ metrics: { accuracy: [...rising].reverse() } }), "accuracy")).toMatchObject({
      kind: "diverging",
    });
  });
  it("flags a plateau only while checks still fail", () => {
    const flat = [...decaying.slice(0, 10), ...Array.from({ length: 10 }, () => 0.7)];
    expect(flagRun(report({ metrics: { loss: flat }, checks: failing }), "loss")).toMatchObject({
      kind: "plateau",
      points: 5,
    });
    expect(flagRun(report({ metrics: { loss: flat } }), "loss")).toBeNull();
    expect(flagRun(report({ metrics: { loss: decaying }, checks: failing }), "loss")).toBeNull();
  });
  it("lists flagged runs by name, NaN first", () => {
    const flat = Array.from({ length: 12 }, () => 2.3);
    const runs = [
      run("Cy", { metrics: { loss: flat }, checks: failing }),
      run("Bo", { nonFinite: { loss: { step: 7, value: "NaN" } } }),
      run("Al", { metrics: { loss: decaying } }),
    ];
    expect(flaggedRuns(runs, "loss").map((f) => [f.name, f.flag.kind])).toEqual([
      ["Bo", "non-finite"],
      ["Cy", "plateau"],
    ]);
  });
});

describe("curves", () => {
  it("overlays every run's finite series, padded with null", () => {
    const curves = classCurves(
      [run("a", { metrics: { loss: [3, 2, 1] } }), run("b", { metrics: { loss: [4, 2] } }), run("c")],
      "loss",
    );
    expect(curves.map((c) => c.name)).toEqual(["a", "b"]);
    expect(alignCurves(curves)).toEqual([
      [0, 1, 2],
      [3, 2, 1],
      [4, 2, null],
    ]);
    expect(alignCurves([])).toEqual([[]]);
  });
  it("puts thinned series at their training steps, so runs of different lengths line up", () => {
    // a logged 3 values; b logged 9, of which the server kept 3 (steps 0, 4, 8).
    const curves = classCurves(
      [
        run("a", { metrics: { loss: [3, 2, 1] } }),
        run("b", { metrics: { loss: [9, 5, 1] }, metricSteps: { loss: 9 } }),
      ],
      "loss",
    );
    expect(curves.map((c) => c.steps)).toEqual([
      [0, 1, 2],
      [0, 4, 8],
    ]);
    expect(alignCurves(curves)).toEqual([
      [0, 1, 2, 4, 8],
      [3, 2, 1, null, null],
      [9, null, null, 5, 1],
    ]);
  });
  it("suggests a log axis only for positive values spanning orders of magnitude", () => {
    expect(suggestLogScale([{ values: [1, 0.5] }, { values: [2e3, 1e6] }])).toBe(true);
    expect(suggestLogScale([{ values: [1, 0.5] }, { values: [2, 100] }])).toBe(false);
    expect(suggestLogScale([{ values: [0, 1e6] }])).toBe(false);
    expect(suggestLogScale([])).toBe(false);
  });
});

describe("grouping", () => {
  it("groups runs by first failing check or normalised error, largest first, passing last", () => {
    const runs = [
      run("Ann", { checks: failing }),
      run("Ben", { checks: failing }),
      run("Cat"),
      run("Dan", {
        status: "error",
        error: { kind: "runtime", message: "TypeError: x is undefined at line 4" },
      }),
      run("Eve", {
        status: "error",
        error: { kind: "runtime", message: "TypeError: x is undefined  at line 9" },
      }),
      run("Fay", { status: "error", error: { kind: "limit", limit: "time", message: "ran over 5000 ms" } }),
      run("Gus", { checks: [] }),
    ];
    const groups = groupRuns(runs);
    expect(groups.map((g) => [g.kind, g.label, g.members.map((m) => m.name)])).toEqual([
      ["check", "gradient", ["Ann", "Ben"]],
      ["error", "TypeError: x is undefined at line N", ["Dan", "Eve"]],
      ["no-checks", "No checks ran", ["Gus"]],
      ["error", "time limit: ran over N ms", ["Fay"]],
      ["passing", "All visible checks pass", ["Cat"]],
    ]);
    expect(groups[0]!.message).toBe("element [0]: expected 1, got -1");
  });
  it("ignores hidden checks when finding the first failure", () => {
    const groups = groupRuns([
      run("a", {
        checks: [
          { name: "secret", passed: false, hidden: true },
          { name: "shape", passed: true },
        ],
      }),
    ]);
    expect(groups[0]!.kind).toBe("passing");
  });
  it("normalises numbers and whitespace", () => {
    expect(normaliseError({ kind: "syntax", message: "Unexpected token (3:14)\n  here" })).toBe(
      "Unexpected token (N:N) here",
    );
  });
  it("drafts a fix with the check and message as code spans, shown as typed", () => {
    const [group] = groupRuns([
      run("a", { checks: [{ name: "*x* <b>", passed: false, message: "[y](javascript:1) `z`" }] }),
    ]);
    const draft = fixDraft(group!, "Step *1*");
    expect(draft).toContain("**Step \\*1\\***: the check `*x* <b>` fails for 1 run.");
    expect(draft).toContain("> `` [y](javascript:1) `z` ``");
    expect(codeSpan("a\nb")).toBe("`a b`");
  });
});
