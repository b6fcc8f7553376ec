/**
 * The attendee's own metrics in the room, drawn while the run streams them: one uPlot line chart
 * per metric over its steps (the series the host receives in the run report), updated in place as
 * points arrive; points that went NaN or ±Infinity are gaps with a red marker line and named in
 * the chart's caption.
 */
import { useEffect, useMemo, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { curveColour, tickLabel } from "../run/CurveChart.js";
import { liveCurves, nonFiniteCaption, type LiveCurve } from "../run/live-metrics.js";
import type { RunOutcome } from "../run/report.js";

const NON_FINITE_COLOUR = "#dc2626";

function MetricChart({ curve, index }: { curve: LiveCurve; index: number }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  // The draw hook reads the latest marks without rebuilding the chart.
  const marks = useRef(curve.nonFinite);
  marks.current = curve.nonFinite;
  useEffect(() => {
    const container = box.current;
    if (!container) return;
    const width = Math.max(240, Math.min(720, container.clientWidth || 360));
    const instance = new uPlot(
      {
        width,
        height: Math.round(width * 0.55),
        scales: { x: { time: false } },
        axes: [{ label: "step" }, { size: 56, values: (_u, splits) => splits.map(tickLabel) }],
        series: [
          { label: "step" },
          {
            label: curve.name,
            stroke: curveColour(index),
            width: 2,
            spanGaps: false,
            points: { show: false },
          },
        ],
        legend: { show: false },
        hooks: {
          draw: [
            (u) => {
              const { ctx, bbox } = u;
              ctx.save();
              ctx.strokeStyle = NON_FINITE_COLOUR;
              ctx.lineWidth = 2;
              ctx.setLineDash([4, 3]);
              for (const point of marks.current) {
                const x = Math.round(u.valToPos(point.step, "x", true));
                ctx.beginPath();
                ctx.moveTo(x, bbox.top);
                ctx.lineTo(x, bbox.top + bbox.height);
                ctx.stroke();
              }
              ctx.restore();
            },
          ],
        },
      },
      [[], []],
      container,
    );
    chart.current = instance;
    return () => {
      instance.destroy();
      chart.current = null;
    };
  }, [curve.name, index]);
  useEffect(() => {
    chart.current?.setData([curve.steps, curve.values] as uPlot.AlignedData);
  }, [curve]);
  const caption = nonFiniteCaption(curve);
  const last = curve.values.at(-1);
  return (
    <figure
      class="live-metric"
      data-metric={curve.name}
      data-points={curve.steps.length}
      data-non-finite={curve.nonFiniteCount}
    >
      <figcaption>
        <strong>{curve.name}</strong>{" "}
        <span class="muted">
          step {curve.steps.at(-1)}: {last === null || last === undefined ? "—" : tickLabel(last)}
        </span>
        {caption && <span class="non-finite">{caption}</span>}
      </figcaption>
      <div ref={box} />
    </figure>
  );
}

/** Every metric of the run, or nothing before the first point arrives. */
export function LiveMetrics({ outcome }: { outcome: RunOutcome | null }) {
  const curves = useMemo(() => liveCurves(outcome?.metrics ?? {}), [outcome?.metrics]);
  if (curves.length === 0) return null;
  return (
    <section class="live-metrics" aria-label="Metrics">
      <h3>Metrics{outcome?.running && <span class="muted"> (live)</span>}</h3>
      {curves.map((curve, i) => (
        <MetricChart key={curve.name} curve={curve} index={i} />
      ))}
    </section>
  );
}
