import { describe, expect, it } from "vitest";
import type { DoneEvent } from "../../sandbox/runner/runner.js";
import type { DeviceInfo } from "../../sandbox/events.js";
import { DeviceCensusTracker } from "./census.js";
import { emptyOutcome, type RunOutcome } from "./report.js";

const device: DeviceInfo = { backend: "wasm", simd: true, threads: 4, crossOriginIsolated: true };
const done = (durationMs: number, status: "ok" | "error" = "ok"): DoneEvent => ({
  type: "done",
  status,
  durationMs,
  t: durationMs,
  device,
});
const withSteps = (n: number): RunOutcome => ({
  ...emptyOutcome(),
  metrics: { loss: Array.from({ length: n }, (_, step) => ({ step, value: 1 / (step + 1) })) },
});

describe("DeviceCensusTracker", () => {
  it("knows nothing before a run has said what it computed with", () => {
    expect(new DeviceCensusTracker().record(undefined, emptyOutcome())).toBeUndefined();
  });

  it("reports the device, and ms per step from the last clean training run only", () => {
    const census = new DeviceCensusTracker();
    expect(census.record(done(50), withSteps(3))).toEqual(device); // not a training run
    expect(census.record(done(1000), withSteps(200))).toEqual({ ...device, msPerStep: 5 });
    // A later short run or a failed training run keeps the last training run's speed.
    expect(census.record(done(10), emptyOutcome())).toEqual({ ...device, msPerStep: 5 });
    expect(census.record(done(9000, "error"), withSteps(100))).toEqual({ ...device, msPerStep: 5 });
    expect(census.record(done(300), withSteps(100))).toEqual({ ...device, msPerStep: 3 });
  });
});
