/**
 * Where a metric series first went NaN or infinite, named the way JSON can carry it: the one rule
 * the room's run report (and through it the dashboard and class view) and the CLI's metric summary
 * share, so a NaN reads the same wherever it is shown.
 */
import type { NonFiniteMetric } from "../contract/run-report.js";

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
