/**
 * One-line, plain-text summaries of the `scratch` output events (plots, metrics, checks), for
 * `scratchroom run` and logs: a terminal cannot draw a plot, but it can say what the plot holds.
 */
import type { CheckResult, PlotSpec, RunEvent } from "../events.js";
import { plotNonFinite } from "../non-finite.js";

const num = (v: number) => (Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString());

/** The range of the finite values (NaN and ±Infinity are named apart: plotNonFinite). */
function range(values: readonly number[]): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return values.length === 0 ? "empty" : "none finite";
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of finite) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return `${num(lo)}…${num(hi)}`;
}

export function summarizePlot(plot: PlotSpec): string {
  const { caption } = plotNonFinite(plot);
  return caption ? `${describePlot(plot)}; non-finite: ${caption}` : describePlot(plot);
}

function describePlot(plot: PlotSpec): string {
  const title = plot.title === undefined ? "" : ` "${plot.title}"`;
  const head = `plot ${plot.kind}${title}`;
  switch (plot.kind) {
    case "line":
    case "scatter": {
      const series = plot.series ?? [];
      const points = series.reduce((n, s) => n + s.y.length, 0);
      const ys = series.flatMap((s) => s.y);
      const labels = new Set(series.flatMap((s) => s.labels ?? [])).size;
      const last =
        plot.kind === "line" && series.length === 1 && ys.length > 0 ? `, last ${num(ys.at(-1) ?? 0)}` : "";
      const classes = labels > 0 ? `, ${labels} labels` : "";
      return `${head}: ${series.length} series, ${points} points, y ${range(ys)}${last}${classes}`;
    }
    case "image":
    case "heatmap":
      return `${head}: ${(plot.shape ?? []).join("×")}, values ${range(plot.values ?? [])}`;
    case "histogram":
      return `${head}: ${(plot.values ?? []).length} values in ${plot.bins ?? 0} bins, ${range(plot.values ?? [])}`;
  }
}

export function summarizeCheck(check: CheckResult): string {
  const mark = check.passed ? "✓" : "✗";
  const message = check.message === undefined ? "" : `: ${check.message}`;
  const hint = check.hint === undefined ? "" : ` (${check.hint})`;
  return `${mark} ${check.name}${message}${hint}`;
}

/** The one-line summary of a plot, metric or check event; null for other events. */
export function summarizeEvent(event: RunEvent): string | null {
  switch (event.type) {
    case "plot":
      return summarizePlot(event.plot);
    case "metric":
      return `metric ${event.name}[${event.step}] = ${num(event.value)}`;
    case "check":
      return summarizeCheck(event.check);
    default:
      return null;
  }
}
