/**
 * Draws one plot into a container: uPlot for line, scatter and histogram; a canvas for images and
 * heatmaps. Titles and labels go through uPlot's text APIs or textContent, never HTML.
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { PlotSpec } from "../../sandbox/events.js";
import { drawable, histogramBins, plotPixels, scatterGroups } from "./plot-data.js";

const COLOURS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"];

function chartWidth(container: HTMLElement): number {
  return Math.max(240, Math.min(720, container.clientWidth || 360));
}

function drawChart(container: HTMLElement, spec: PlotSpec): () => void {
  const width = chartWidth(container);
  const height = Math.round(width * 0.55);
  let data: uPlot.AlignedData;
  let series: uPlot.Series[];
  const axes: uPlot.Axis[] = [{ label: spec.xLabel ?? "" }, { label: spec.yLabel ?? "" }];
  if (spec.kind === "histogram") {
    const bins = histogramBins(spec.values ?? spec.series?.[0]?.y ?? [], spec.bins ?? 20);
    data = [bins.centers, bins.counts];
    series = [
      {},
      {
        label: "count",
        stroke: COLOURS[0],
        fill: "#2563eb55",
        paths: uPlot.paths.bars!({ size: [0.95, 100] }),
      },
    ];
  } else {
    const groups =
      spec.kind === "scatter"
        ? scatterGroups(spec.series ?? [])
        : (spec.series ?? []).map((s, i) => ({ name: s.name ?? `series ${i + 1}`, x: s.x, y: s.y }));
    // NaN and ±Infinity are not drawn (a gap); the plot's caption names them (plotNonFinite).
    data = uPlot.join(
      groups.map((g) => {
        const d = drawable(g.x, g.y);
        return [d.x, d.y] as uPlot.AlignedData;
      }),
    );
    series = [
      {},
      ...groups.map((g, i): uPlot.Series => {
        const colour = COLOURS[i % COLOURS.length]!;
        return spec.kind === "scatter"
          ? {
              label: g.name,
              stroke: colour,
              paths: () => null,
              points: { show: true, size: 5, fill: colour },
            }
          : { label: g.name, stroke: colour, width: 2, spanGaps: true, points: { show: false } };
      }),
    ];
  }
  const chart = new uPlot(
    {
      title: spec.title ?? "",
      width,
      height,
      series,
      axes,
      scales: { x: { time: false } },
      legend: { show: series.length > 2 },
    },
    data,
    container,
  );
  return () => chart.destroy();
}

function drawPixels(container: HTMLElement, spec: PlotSpec): () => void {
  const figure = document.createElement("figure");
  const pixels = plotPixels(spec);
  if (spec.title) {
    const caption = document.createElement("figcaption");
    caption.textContent = spec.title;
    figure.append(caption);
  }
  if (!pixels) {
    const note = document.createElement("p");
    note.textContent = `Cannot draw ${spec.kind}: values do not match shape [${(spec.shape ?? []).join(", ")}].`;
    figure.append(note);
  } else {
    const canvas = document.createElement("canvas");
    canvas.width = pixels.width;
    canvas.height = pixels.height;
    canvas.className = "plot-pixels";
    canvas.setAttribute("role", "img");
    canvas.setAttribute(
      "aria-label",
      `${spec.kind} ${pixels.height}×${pixels.width}${spec.title ? `: ${spec.title}` : ""}`,
    );
    canvas
      .getContext("2d")
      ?.putImageData(
        new ImageData(pixels.rgba as Uint8ClampedArray<ArrayBuffer>, pixels.width, pixels.height),
        0,
        0,
      );
    figure.prepend(canvas);
  }
  container.append(figure);
  return () => figure.remove();
}

export function drawPlot(container: HTMLElement, spec: PlotSpec): () => void {
  return spec.kind === "image" || spec.kind === "heatmap"
    ? drawPixels(container, spec)
    : drawChart(container, spec);
}
