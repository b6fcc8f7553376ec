/**
 * Several people's curves for one metric overlaid in one uPlot chart (the class view and the
 * session summary). Names are series labels, which uPlot's legend sets as textContent.
 */
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { alignCurves } from "../host/class-view.js";

/** One person's series. */
export interface NamedCurve {
  name: string;
  values: number[];
  /** The training step of each value; without it, one value per step from 0. */
  steps?: number[];
}

/** The x axis: every curve is drawn over the training steps its values were logged at. */
const X_LABEL = "training step";

const COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"];

/** The n-th curve's colour: the plot palette first, then evenly spread hues. */
export const curveColour = (i: number) => COLOURS[i] ?? `hsl(${Math.round((i * 137.5) % 360)} 70% 42%)`;

/** A y tick: plain for everyday sizes, exponent form for the very large and very small. */
export function tickLabel(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(0) : String(+v.toPrecision(3));
}

/** Curves overlaid in one uPlot chart; `onHover` gets the name of the curve nearest the cursor. */
export function CurveChart({
  curves,
  metric,
  logScale = false,
  onHover,
}: {
  curves: NamedCurve[];
  metric: string;
  /** A log y-axis (every value must be positive). */
  logScale?: boolean;
  onHover?: (name: string | null) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const hover = useRef(onHover);
  hover.current = onHover;
  useEffect(() => {
    const container = box.current;
    if (!container || curves.length === 0) return;
    const width = Math.max(280, Math.min(760, container.clientWidth || 560));
    const chart = new uPlot(
      {
        width,
        height: Math.round(width * 0.5),
        scales: { x: { time: false } },
        axes: [
          { label: X_LABEL },
          {
            label: logScale ? `${metric} (log)` : metric,
            size: 64,
            values: (_u, splits) => splits.map((v) => tickLabel(logScale ? 10 ** v : v)),
          },
        ],
        series: [
          { label: "step" },
          ...curves.map((c, i): uPlot.Series => ({
            label: c.name,
            stroke: curveColour(i),
            width: 1.5,
            // Curves thinned differently have values at different steps: join a curve's own points.
            spanGaps: true,
            points: { show: false },
          })),
        ],
        focus: { alpha: 0.25 },
        cursor: { focus: { prox: 24 } },
        legend: { show: true, live: false },
        hooks: {
          setSeries: [
            (_u, index) => hover.current?.(index === null ? null : (curves[index - 1]?.name ?? null)),
          ],
        },
      },
      // A log axis plots log10 of the values on a linear scale: uPlot's own log scale finds no
      // ticks when one exploding run spans hundreds of decades.
      alignCurves(
        logScale ? curves.map((c) => ({ ...c, values: c.values.map(Math.log10) })) : curves,
      ) as uPlot.AlignedData,
      container,
    );
    return () => chart.destroy();
  }, [curves, metric, logScale]);
  return <div ref={box} class="curve-chart" data-curves={curves.length} data-x-label={X_LABEL} />;
}
