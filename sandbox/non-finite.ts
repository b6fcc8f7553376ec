/**
 * Where a metric series first went NaN or infinite, named the way JSON can carry it: the one rule
 * the room's run report (and through it the dashboard and class view) and the CLI's metric summary
 * share, so a NaN reads the same wherever it is shown; and the same names for a plot's non-finite
 * points, under the room's plot and in the CLI's plot summary.
 */
import type { NonFiniteMetric } from "../contract/run-report.js";
import type { PlotSpec } from "./events.js";

/** A non-finite number by its name, "NaN", "Infinity" or "-Infinity" (the names JSON can carry). */
export function nonFiniteName(value: number): NonFiniteMetric["value"] {
  return Number.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
}

/** The number a non-finite name stands for; undefined for any other string. */
export function nonFiniteFromName(name: string): number | undefined {
  return name === "NaN"
    ? Number.NaN
    : name === "Infinity"
      ? Infinity
      : name === "-Infinity"
        ? -Infinity
        : undefined;
}

/** The first non-finite point of a metric series; undefined if none. */
export function firstNonFinite(
  series: readonly { step: number; value: number }[],
): NonFiniteMetric | undefined {
  const point = series.find((p) => !Number.isFinite(p.value));
  if (!point) return undefined;
  return { step: point.step, value: nonFiniteName(point.value) };
}

/** Most non-finite points a plot's caption names. */
const NAMED_POINTS = 3;

/** A plot's NaN and ±Infinity: how many, and a caption naming the first few and where they are. */
export interface PlotNonFinite {
  count: number;
  /** "Infinity at x = 3, NaN at x = 4 (12 non-finite points)"; "" when every value is finite. */
  caption: string;
}

const pointName = (v: number) => (Number.isFinite(v) ? String(v) : nonFiniteName(v));

/**
 * Where a plot holds NaN or ±Infinity (they cross from the sandbox by name and arrive as those
 * numbers): line and scatter points whose x or y is not finite, or image, heatmap and histogram
 * values. The room draws such points as gaps and shows the caption under the plot; the CLI's
 * plot summary ends with it.
 */
export function plotNonFinite(spec: PlotSpec): PlotNonFinite {
  const named: string[] = [];
  let count = 0;
  const seen = (text: string) => {
    count++;
    if (named.length < NAMED_POINTS) named.push(text);
  };
  const several = (spec.series ?? []).length > 1;
  for (const s of spec.series ?? []) {
    s.y.forEach((y, i) => {
      const x = s.x[i] ?? i;
      if (Number.isFinite(y) && Number.isFinite(x)) return;
      const where = Number.isFinite(y) ? `y = ${y}` : `x = ${pointName(x)}`;
      const value = Number.isFinite(y) ? `x ${nonFiniteName(x)}` : nonFiniteName(y);
      seen(`${several && s.name ? `${s.name}: ` : ""}${value} at ${where}`);
    });
  }
  (spec.values ?? []).forEach((v, i) => {
    if (!Number.isFinite(v)) seen(`${nonFiniteName(v)} at index ${i}`);
  });
  if (count === 0) return { count, caption: "" };
  const more = count > named.length ? ` (${count} non-finite ${spec.values ? "values" : "points"})` : "";
  return { count, caption: named.join(", ") + more };
}
