import { describe, expect, it } from "vitest";
import type { DoneEvent } from "../../sandbox/runner/runner.js";
import type { DeviceInfo } from "../../sandbox/events.js";
import type { RunStatus } from "../../contract/run-report.js";
import { AccelerationChoice } from "./accelerate.js";

const done = (durationMs: number, backend: DeviceInfo["backend"], status: RunStatus = "ok"): DoneEvent => ({
  type: "done",
  status,
  durationMs,
  t: durationMs,
  device: { backend, simd: true, threads: 2, crossOriginIsolated: true },
});

describe("AccelerationChoice", () => {
  it("passes cpu, gpu and an absent accelerate through", () => {
    const choice = new AccelerationChoice();
    expect(choice.choose("t", undefined)).toBeUndefined();
    expect(choice.choose("t", "cpu")).toBeUndefined();
    expect(choice.choose("t", "gpu")).toBe("gpu");
  });

  it("auto: calibrates with one clean run on each, then keeps the faster", () => {
    const choice = new AccelerationChoice();
    expect(choice.choose("t", "auto")).toBe("cpu");
    choice.record("t", "cpu", done(900, "wasm", "error")); // a failed run does not calibrate
    expect(choice.choose("t", "auto")).toBe("cpu");
    choice.record("t", "cpu", done(900, "wasm"));
    expect(choice.choose("t", "auto")).toBe("gpu");
    expect(choice.settled("t")).toBeUndefined();
    choice.record("t", "gpu", done(300, "webgl"));
    expect(choice.choose("t", "auto")).toBe("gpu");
    expect(choice.settled("t")).toBe("gpu");
    // Per task: another task calibrates on its own.
    expect(choice.choose("other", "auto")).toBe("cpu");
  });

  it("auto: stays on wasm when the GPU is slower for the task", () => {
    const choice = new AccelerationChoice();
    choice.record("t", "cpu", done(200, "wasm"));
    choice.record("t", "gpu", done(700, "webgpu"));
    expect(choice.choose("t", "auto")).toBe("cpu");
    expect(choice.settled("t")).toBe("cpu");
  });

  it("auto: stays on wasm when no GPU passed its self-test (the worker ran the GPU run on wasm)", () => {
    const choice = new AccelerationChoice();
    choice.record("t", "cpu", done(200, "wasm"));
    choice.record("t", "gpu", done(150, "wasm"));
    expect(choice.choose("t", "auto")).toBe("cpu");
    expect(choice.settled("t")).toBe("cpu");
  });
});
