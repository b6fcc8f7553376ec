import { describe, expect, it } from "vitest";
import type { HistoryRun, HistoryVersion } from "../../contract/history.js";
import {
  checkNames,
  failingLegend,
  fileVersions,
  firstPassOf,
  lastPassing,
  markerKind,
  nextRun,
  runMarkers,
  stepByKey,
  versionText,
} from "./timeline.js";

let nextId = 1;
function run(checks: Record<string, boolean>, extra: Partial<HistoryRun> = {}): HistoryRun {
  const list = Object.entries(checks).map(([name, passed]) => ({ name, passed }));
  const failed = list.filter((c) => !c.passed);
  return {
    id: nextId++,
    taskId: "t",
    status: "ok",
    passed: list.length - failed.length,
    failed: failed.length,
    firstFailing: failed[0]?.name ?? null,
    nonFinite: [],
    checks: list,
    ...extra,
  };
}
function version(at: number, r: HistoryRun | null = null, file = "t"): HistoryVersion {
  return { id: at, file, at, runId: r?.id ?? null, run: r, length: 1 };
}

// 0 edit · 1 run: fails "b" · 2 edit · 3 run: passes both · 4 run: NaN · 5 edit · 6 run: passes both · 7 edit
const versions = [
  version(10),
  version(20, run({ a: true, b: false })),
  version(30),
  version(40, run({ a: true, b: true })),
  version(50, run({ a: true, b: true }, { nonFinite: ["loss"] })),
  version(60),
  version(70, run({ a: true, b: true })),
  version(80),
];

describe("timeline model", () => {
  it("keeps one file's versions, oldest first", () => {
    const mixed = [version(3, null, "u"), version(2), version(1)];
    expect(fileVersions(mixed, "t").map((v) => v.at)).toEqual([1, 2]);
  });
  it("marks each run: passed, failed with its first failing check, error, NaN", () => {
    const markers = runMarkers(versions);
    expect(markers.map((m) => [m.index, m.kind])).toEqual([
      [1, "failed"],
      [3, "passed"],
      [4, "nan"],
      [6, "passed"],
    ]);
    expect(markers[0]!.label).toBe("Run 1: failed, 1 of 2 checks passed, first failing: b");
    expect(markers[2]!.label).toBe("Run 3: passed, 2 of 2 checks, NaN in loss");
    expect(markers[0]!.position).toBeCloseTo(1 / 7);
    expect(markerKind(run({ a: true }, { status: "error" }))).toBe("error");
    expect(markerKind(run({}))).toBe("ran");
  });
  it("keys each first failing check for the track and its legend, in the order they first fail", () => {
    const track = [
      version(1, run({ a: false, b: false })),
      version(2, run({ a: true, b: false })),
      version(3, run({ a: true, b: true })),
      version(4, run({ a: false, b: true }, { nonFinite: ["loss"] })),
    ];
    const markers = runMarkers(track);
    expect(markers.map((m) => [m.run, m.firstFailing, m.legendKey])).toEqual([
      [1, "a", 1],
      [2, "b", 2],
      [3, null, null],
      [4, "a", 1],
    ]);
    expect(failingLegend(markers)).toEqual([
      { key: 1, check: "a", runs: [1, 4] },
      { key: 2, check: "b", runs: [2] },
    ]);
    expect(failingLegend(runMarkers([version(5, run({ a: true }))]))).toEqual([]);
  });
  it("steps by key: one version, the previous or next run, first and latest", () => {
    expect(stepByKey(versions, 2, "ArrowLeft")).toBe(1);
    expect(stepByKey(versions, 2, "ArrowRight")).toBe(3);
    expect(stepByKey(versions, 0, "ArrowDown")).toBe(0);
    expect(stepByKey(versions, 7, "ArrowUp")).toBe(7);
    expect(stepByKey(versions, 5, "PageUp")).toBe(4);
    expect(stepByKey(versions, 5, "PageDown")).toBe(6);
    expect(stepByKey(versions, 0, "PageUp")).toBeNull();
    expect(stepByKey(versions, 7, "PageDown")).toBeNull();
    expect(stepByKey(versions, 3, "Home")).toBe(0);
    expect(stepByKey(versions, 3, "End")).toBe(7);
    expect(stepByKey(versions, 3, "x")).toBeNull();
    expect(stepByKey([], 0, "End")).toBeNull();
    expect(nextRun(versions, 1, 1)).toBe(3);
  });
  it("jumps to the first pass of a check and to the last passing version", () => {
    expect(checkNames(versions)).toEqual(["a", "b"]);
    expect(firstPassOf(versions, "a")).toBe(1);
    expect(firstPassOf(versions, "b")).toBe(3);
    expect(firstPassOf(versions, "c")).toBeNull();
    // The NaN run passed its checks too; the latest passing one is run 4.
    expect(lastPassing(versions)).toBe(6);
    expect(lastPassing(versions.slice(0, 3))).toBeNull();
  });
  it("describes the selected version", () => {
    const time = (at: number) => `t${at}`;
    expect(versionText(versions, 0, time)).toBe("Version 1 of 8, t10, kept while editing");
    expect(versionText(versions, 3, time)).toBe("Version 4 of 8, t40, run 2: passed, 2 of 2 checks");
    expect(versionText([], 0, time)).toBe("No version");
  });
});
