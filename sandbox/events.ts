/**
 * The run contract shared by the sandbox runner, the `scratch` library, the server and the client.
 *
 * A run takes one attendee module (plus optional check modules) and produces a stream of
 * structured {@link RunEvent}s ending with exactly one `done` event.
 */
import type { CheckResult, DeviceCensus, LimitName, ReportError, RunStatus } from "../contract/run-report.js";

// A check result, a run's status, its error kinds and limit names and the device it ran on are
// part of the browser–server contract (they travel in run reports): their one home is
// contract/run-report.ts, with the run report itself and its output caps.
export type { CheckResult, LimitName };

/** Limits that bound one run. Every limit, when hit, ends the run with a `limit` error naming it. */
export interface RunLimits {
  /** Wall-clock budget for the whole run, in milliseconds. */
  timeoutMs: number;
  /** Size cap of the guest's WebAssembly.Memory, in bytes. */
  memoryBytes: number;
  /** QuickJS stack limit, in bytes (must fit the worker's own stack). */
  stackBytes: number;
  /** Most promise jobs executed per drain of the job queue before the run is stopped. */
  maxPendingJobs: number;
  /** Total bytes of console output a run may produce. */
  outputBytes: number;
  /** Most live host tensors at once. */
  tensorCount: number;
  /** Most bytes held by live host tensors at once. */
  tensorBytes: number;
}

export const DEFAULT_LIMITS: RunLimits = {
  timeoutMs: 60_000,
  memoryBytes: 256 * 1024 * 1024,
  stackBytes: 512 * 1024,
  maxPendingJobs: 100_000,
  outputBytes: 1024 * 1024,
  tensorCount: 20_000,
  tensorBytes: 1024 * 1024 * 1024,
};

/** A check module: runs after the attendee module and may `import * as attempt from "attempt"`. */
export interface CheckModule {
  name: string;
  source: string;
  /** Hidden checks run only on the server; their results are marked hidden. */
  hidden?: boolean;
}

export interface RunRequest {
  /** Attendee source: an ES module. */
  source: string;
  /** Source language; TypeScript has its types stripped before the run. Default "js". */
  language?: "js" | "ts";
  /** File name shown in error locations. Default "main.js". */
  filename?: string;
  /** Check modules evaluated after the attendee module. */
  checks?: CheckModule[];
  /**
   * The `scratch` sub-modules this run may import (e.g. ["scratch/tensor", "scratch/plot"]).
   * Undefined means all. "scratch" itself re-exports only what is allowed.
   */
  allowedModules?: string[];
  /**
   * A session pack's own modules, by specifier ("pack/cartpole" → its source): given code the
   * attendee's module and the checks may import. They import under the same rule as the attendee
   * (only `allowedModules`, plus each other). Names must match `pack/<lower-case-name>`.
   */
  packModules?: Record<string, string>;
  /** Seeds Math.random and every `scratch` random source. Undefined: unseeded. */
  seed?: number;
  limits?: Partial<RunLimits>;
  /**
   * "gpu": compute on a GPU backend that passed the conformance self-test on this device, else on
   * wasm. Default "cpu" (wasm, the kernels of the CLI and verify). Only the browser has a GPU
   * backend; "auto" is resolved to one of the two by the room (client/run/accelerate.ts).
   */
  accelerate?: "gpu" | "cpu";
}

/**
 * What a task asks of the device (task.json "accelerate"): "cpu", the default, computes with tfjs
 * wasm like the CLI and verify; "gpu" with a GPU backend proven on the device; "auto" with the GPU
 * only when a calibration on this device found it faster for the task.
 */
export type Accelerate = "auto" | "gpu" | "cpu";

/** What a run computed with: the device census (contract/run-report.ts) but the room's speed. */
export type DeviceInfo = Omit<DeviceCensus, "msPerStep">;

/** Why a run stopped: what a report carries ({@link ReportError}), and where in which module. */
export interface RunError extends ReportError {
  /** 1-based column in the attendee's source, when known (with the report's `line`). */
  column?: number;
  /** Name of the module the error comes from ("main.js", a check module name, "scratch/nn"…). */
  module?: string;
  stack?: string;
  /**
   * Set when the run stopped while a hidden check module ran: the message, module and line may
   * quote the hidden check (its inputs reach the attendee's code, which may throw them), so an
   * attendee is shown none of them.
   */
  inHiddenCheck?: true;
}

export type PlotKind = "line" | "scatter" | "image" | "heatmap" | "histogram";

/** A plot, fully described by data: the client draws it, the CLI summarises it. */
export interface PlotSpec {
  id: string;
  kind: PlotKind;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** line/scatter: one or more series of points. */
  series?: { name?: string; x: number[]; y: number[]; labels?: number[] }[];
  /** image/heatmap: row-major values with their shape [rows, cols] or [rows, cols, channels]. */
  values?: number[];
  shape?: number[];
  /** histogram: the raw values and a bin count. */
  bins?: number;
}

export type RunEvent =
  | { type: "console"; level: "log" | "info" | "warn" | "error"; text: string; t: number }
  /**
   * `check`, on a plot or metric, names the check module that was running when it was made (a
   * check calling `attempt.fit()`): it is the check's output, kept apart from the attendee's run.
   */
  | { type: "plot"; plot: PlotSpec; check?: string; t: number }
  | { type: "metric"; name: string; step: number; value: number; check?: string; t: number }
  | { type: "check"; check: CheckResult; t: number }
  | {
      type: "done";
      status: RunStatus;
      error?: RunError;
      durationMs: number;
      t: number;
      /** What the run computed with (its backend: "wasm", "webgpu"…), when the library reports it. */
      device?: DeviceInfo;
    };
