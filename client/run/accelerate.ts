/**
 * What each run of a task computes with in the room, from the task's `accelerate` (task.json):
 * "cpu" (default) and "gpu" pass through; "auto" is calibrated on this device, per task: one
 * successful run on wasm and one on a GPU backend (one that passed its self-test; the worker falls
 * back to wasm otherwise), then every later run uses the GPU only if its run was faster.
 */
import type { Accelerate } from "../../sandbox/events.js";
import type { DoneEvent } from "../../sandbox/runner/runner.js";

interface Timings {
  cpu?: number;
  gpu?: number;
  /** The worker had no GPU that passed its self-test. */
  noGpu?: boolean;
}

export class AccelerationChoice {
  private readonly timings = new Map<string, Timings>();

  /** The backend to ask for in the next run of `taskId` (undefined: the default, wasm). */
  choose(taskId: string, accelerate: Accelerate | undefined): "cpu" | "gpu" | undefined {
    if (accelerate === "gpu") return "gpu";
    if (accelerate !== "auto") return undefined;
    const t = this.timings.get(taskId) ?? {};
    if (t.noGpu) return "cpu";
    if (t.cpu === undefined) return "cpu";
    if (t.gpu === undefined) return "gpu";
    return t.gpu < t.cpu ? "gpu" : "cpu";
  }

  /** Records a finished run of `taskId` that asked for `asked`; only clean runs calibrate. */
  record(taskId: string, asked: "cpu" | "gpu" | undefined, done: DoneEvent): void {
    if (asked === undefined || done.status !== "ok") return;
    const t = this.timings.get(taskId) ?? {};
    if (asked === "gpu" && done.device?.backend === "wasm") t.noGpu = true;
    else if (t[asked] === undefined) t[asked] = done.durationMs;
    this.timings.set(taskId, t);
  }

  /** What "auto" settled on for `taskId`, for the device census: undefined while calibrating. */
  settled(taskId: string): "cpu" | "gpu" | undefined {
    const t = this.timings.get(taskId);
    if (!t) return undefined;
    if (t.noGpu) return "cpu";
    if (t.cpu === undefined || t.gpu === undefined) return undefined;
    return t.gpu < t.cpu ? "gpu" : "cpu";
  }
}

/** The room's choice, kept for the page's lifetime (calibration is per device and page load). */
export const roomAcceleration = new AccelerationChoice();
