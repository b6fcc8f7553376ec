import { describe, expect, it } from "vitest";
import type { DeviceCensus, RunReport } from "../../contract/run-report.js";
import { capabilityLabel, classCensus } from "./census.js";
import type { RunHistory } from "./progress.js";

const wasm: DeviceCensus = { backend: "wasm", simd: true, threads: 4, crossOriginIsolated: true };
const report = (taskId: string): RunReport => ({
  taskId,
  status: "ok",
  checks: [],
  metrics: {},
  durationMs: 1,
});
const history = (participantId: string, device?: DeviceCensus): RunHistory => {
  const report: RunReport = { taskId: "t", status: "ok", checks: [], metrics: {}, durationMs: 1 };
  if (device) report.device = device;
  const run = { participantId, workspaceId: `w-${participantId}`, at: 0, report };
  return { byTask: {}, lastByTask: { t: run }, last: run };
};

describe("classCensus", () => {
  it("finds each member of a pair by the runs in their shared workspace's history", () => {
    const ada = { participantId: "a", workspaceId: "w", at: 1, report: { ...report("t1"), device: wasm } };
    const bob = {
      participantId: "b",
      workspaceId: "w",
      at: 2,
      report: { ...report("t2"), device: { ...wasm, threads: 1 } },
    };
    const shared: RunHistory = { byTask: {}, lastByTask: { t1: ada, t2: bob }, last: bob };
    const census = classCensus(
      new Map([["w", shared]]),
      new Map([
        ["a", "Ada"],
        ["b", "Bob"],
      ]),
    );
    expect(census.unknown).toBe(0);
    expect(census.groups.map((g) => g.label).sort()).toEqual([
      "wasm · SIMD · 1 thread",
      "wasm · SIMD · 4 threads",
    ]);
  });

  it("labels a device by backend, SIMD, threads and isolation", () => {
    expect(capabilityLabel(wasm)).toBe("wasm · SIMD · 4 threads");
    expect(capabilityLabel({ ...wasm, simd: false, threads: 1, crossOriginIsolated: false })).toBe(
      "wasm · no SIMD · 1 thread · not isolated",
    );
  });

  it("counts rooms per capability and names who is at least twice the median ms per step", () => {
    const names = new Map([
      ["a", "Ada"],
      ["b", "Bob"],
      ["c", "Cy"],
      ["d", "Di"],
      ["e", "Eve"],
    ]);
    const histories = new Map([
      ["a", history("a", { ...wasm, msPerStep: 2 })],
      ["b", history("b", { ...wasm, msPerStep: 3 })],
      ["c", history("c", { ...wasm, threads: 1, crossOriginIsolated: false, msPerStep: 9 })],
      ["d", history("d", { ...wasm })],
      ["e", history("e")],
    ]);
    const census = classCensus(histories, names);
    expect(census.groups).toEqual([
      { label: "wasm · SIMD · 4 threads", count: 3 },
      { label: "wasm · SIMD · 1 thread · not isolated", count: 1 },
    ]);
    expect(census.unknown).toBe(1);
    expect(census.medianMsPerStep).toBe(3);
    expect(census.slow).toEqual([{ participantId: "c", name: "Cy", msPerStep: 9, times: 3 }]);
  });

  it("names nobody slow with fewer than two speeds to compare", () => {
    const names = new Map([["a", "Ada"]]);
    const census = classCensus(new Map([["a", history("a", { ...wasm, msPerStep: 50 })]]), names);
    expect(census.slow).toEqual([]);
  });
});
