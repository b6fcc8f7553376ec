/**
 * Where a metric series first went NaN or infinite, named the way JSON can carry it: the one rule
 * the room's run report (and through it the dashboard and class view) and the CLI's metric summary
 * share, so a NaN reads the same wherever it is shown.
 */
import type { NonFiniteMetric } from "./events.js";

/** The first non-finite point of a metric series; undefined if none. */
export function firstNonFinite(
  series: readonly { step: number; value: number }[],
): NonFiniteMetric | undefined {
  const point = series.find((p) => !Number.isFinite(p.value));
  if (!point) return undefined;
  const value = Number.isNaN(point.value) ? "NaN" : point.value > 0 ? "Infinity" : "-Infinity";
  return { step: point.step, value };
}
