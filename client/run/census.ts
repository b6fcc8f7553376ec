/**
 * The room's line of the device census: what its runs compute with (backend, threads, SIMD, cross-
 * origin isolation, from each run's done event) and the milliseconds per step of its last training
 * run, a run that logged at least {@link TRAINING_STEPS} metric steps. Attached to every run report.
 */
import type { DeviceCensus } from "../../sandbox/events.js";
import type { DoneEvent } from "../../sandbox/runner/runner.js";
import type { RunOutcome } from "./report.js";

/** Metric steps from which a run counts as a training run for the speed census. */
export const TRAINING_STEPS = 10;

export class DeviceCensusTracker {
  private device: DeviceCensus | undefined;
  private msPerStep: number | undefined;

  /** Takes in a finished run; returns the census to attach to its report (undefined: unknown). */
  record(done: DoneEvent | undefined, outcome: RunOutcome): DeviceCensus | undefined {
    if (done?.device) this.device = { ...done.device };
    const steps = Math.max(0, ...Object.values(outcome.metrics).map((series) => series.length));
    if (done?.status === "ok" && steps >= TRAINING_STEPS) {
      this.msPerStep = Math.round((done.durationMs / steps) * 100) / 100;
    }
    if (!this.device) return undefined;
    return this.msPerStep === undefined ? { ...this.device } : { ...this.device, msPerStep: this.msPerStep };
  }
}

/** The room's census, kept for the page's lifetime. */
export const roomCensus = new DeviceCensusTracker();
