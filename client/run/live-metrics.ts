/**
 * A run's metric series as the room draws them while they stream in: one curve per metric over
 * its logged steps, non-finite values left as gaps, and the points where the value went NaN or
 * ±Infinity listed so the chart and its caption can mark them.
 */
import type { NonFiniteMetric } from "../../contract/run-report.js";
import type { RunOutcome } from "./report.js";

/** Most non-finite points marked per metric (a diverged run can log thousands of NaNs). */
export const MARKED_POINTS = 20;

/** One metric as drawn: steps in logged order, values with gaps, and the marked points. */
export interface LiveCurve {
  name: string;
  steps: number[];
  /** The value at each step; null where it was not finite (uPlot draws a gap). */
  values: (number | null)[];
  /** The first non-finite points, at most {@link MARKED_POINTS}. */
  nonFinite: NonFiniteMetric[];
  /** How many points were not finite in all. */
  nonFiniteCount: number;
}

const nonFiniteName = (value: number): NonFiniteMetric["value"] =>
  Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";

/** The curves of `metrics`, in order of first appearance, each by step; empty series left out. */
export function liveCurves(metrics: RunOutcome["metrics"]): LiveCurve[] {
  return Object.entries(metrics)
    .filter(([, series]) => series.length > 0)
    .map(([name, series]) => {
      const curve: LiveCurve = { name, steps: [], values: [], nonFinite: [], nonFiniteCount: 0 };
      // uPlot wants x ascending; explicit steps may come in any order (the sort is stable).
      const ordered = series.every((p, i) => i === 0 || series[i - 1]!.step <= p.step)
        ? series
        : [...series].sort((a, b) => a.step - b.step);
      for (const { step, value } of ordered) {
        curve.steps.push(step);
        if (Number.isFinite(value)) curve.values.push(value);
        else {
          curve.values.push(null);
          curve.nonFiniteCount++;
          if (curve.nonFinite.length < MARKED_POINTS)
            curve.nonFinite.push({ step, value: nonFiniteName(value) });
        }
      }
      return curve;
    });
}

/** "NaN at step 12", "NaN at step 12, Infinity at step 13 (40 non-finite points)"; "" if none. */
export function nonFiniteCaption(curve: LiveCurve): string {
  if (curve.nonFiniteCount === 0) return "";
  const shown = curve.nonFinite.slice(0, 3).map((p) => `${p.value} at step ${p.step}`);
  const more = curve.nonFiniteCount > shown.length ? ` (${curve.nonFiniteCount} non-finite points)` : "";
  return shown.join(", ") + more;
}
