/**
 * Resolves the limits of one run: the request's overrides on top of DEFAULT_LIMITS, clamped to
 * what the runner can actually enforce (a stack limit larger than the worker's own stack would let
 * a deep recursion crash the worker instead of ending the run cleanly).
 */
import { DEFAULT_LIMITS, type RunLimits } from "../events.js";

/** Hard bounds on what a request may ask for, whatever it says. */
export const LIMIT_BOUNDS: { readonly [K in keyof RunLimits]: readonly [min: number, max: number] } = {
  timeoutMs: [10, 10 * 60_000],
  memoryBytes: [32 * 1024 * 1024, 2 * 1024 * 1024 * 1024 - 65536],
  stackBytes: [32 * 1024, 1024 * 1024],
  maxPendingJobs: [1, 10_000_000],
  outputBytes: [1024, 64 * 1024 * 1024],
  tensorCount: [0, 1_000_000],
  tensorBytes: [0, 4 * 1024 * 1024 * 1024],
};

export function resolveLimits(requested: Partial<RunLimits> | undefined, maxStackBytes?: number): RunLimits {
  const limits: RunLimits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(LIMIT_BOUNDS) as (keyof RunLimits)[]) {
    const value = requested?.[key];
    const [min, max] = LIMIT_BOUNDS[key];
    const chosen = typeof value === "number" && Number.isFinite(value) ? Math.floor(value) : limits[key];
    limits[key] = Math.min(max, Math.max(min, chosen));
  }
  if (maxStackBytes !== undefined) limits.stackBytes = Math.min(limits.stackBytes, maxStackBytes);
  return limits;
}
