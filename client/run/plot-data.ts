/**
 * Plot specs (sandbox/events.ts PlotSpec) turned into what the drawing code needs: aligned series
 * for uPlot, histogram bins, and RGBA pixels for images and heatmaps. Pure, so it is tested in Node.
 */
import type { PlotSpec } from "../../sandbox/events.js";

export interface Bins {
  centers: number[];
  counts: number[];
}

export function histogramBins(values: number[], bins = 20): Bins {
  const finite = values.filter(Number.isFinite);
  const n = Math.max(1, Math.min(200, Math.floor(bins)));
  if (finite.length === 0) return { centers: [], counts: [] };
  let min = Infinity;
  let max = -Infinity;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) return { centers: [min], counts: [finite.length] };
  const width = (max - min) / n;
  const counts = new Array<number>(n).fill(0);
  for (const v of finite) counts[Math.min(n - 1, Math.floor((v - min) / width))]!++;
  return { centers: counts.map((_, i) => min + (i + 0.5) * width), counts };
}

/** Series grouped for scatter plots: one per class label when labels are given. */
export function scatterGroups(
  series: NonNullable<PlotSpec["series"]>,
): { name: string; x: number[]; y: number[] }[] {
  const groups: { name: string; x: number[]; y: number[] }[] = [];
  series.forEach((s, i) => {
    const base = s.name ?? (series.length > 1 ? `series ${i + 1}` : "y");
    if (!s.labels) {
      groups.push({ name: base, x: s.x, y: s.y });
      return;
    }
    const byLabel = new Map<number, { name: string; x: number[]; y: number[] }>();
    s.x.forEach((x, j) => {
      const label = s.labels![j] ?? 0;
      let group = byLabel.get(label);
      if (!group) byLabel.set(label, (group = { name: `${base} = ${label}`, x: [], y: [] }));
      group.x.push(x);
      group.y.push(s.y[j] ?? NaN);
    });
    groups.push(...[...byLabel.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g));
  });
  return groups;
}

/** A perceptually ordered colour map (viridis, 5 stops, interpolated). */
const VIRIDIS: [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i]!;
  const b = VIRIDIS[i + 1]!;
  return [0, 1, 2].map((k) => Math.round(a[k]! + f * (b[k]! - a[k]!))) as [number, number, number];
}

export interface Pixels {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

/** Pixels of an image (grey, RGB or RGBA; values in [0,1] or [0,255]) or a heatmap (viridis). */
export function plotPixels(spec: PlotSpec): Pixels | null {
  const values = spec.values ?? [];
  const [rows = 0, cols = 0, channels = 1] = spec.shape ?? [];
  if (rows <= 0 || cols <= 0 || rows * cols > 4_000_000 || values.length < rows * cols * channels)
    return null;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const rgba = new Uint8ClampedArray(rows * cols * 4);
  const span = max > min ? max - min : 1;
  const imageScale = spec.kind === "image" && min >= 0 && max <= 1 ? 255 : 1;
  for (let p = 0; p < rows * cols; p++) {
    const o = p * 4;
    if (spec.kind === "heatmap") {
      const [r, g, b] = viridis(((values[p * channels] ?? 0) - min) / span);
      rgba.set([r, g, b, 255], o);
    } else if (channels >= 3) {
      for (let c = 0; c < 3; c++) rgba[o + c] = (values[p * channels + c] ?? 0) * imageScale;
      rgba[o + 3] = channels >= 4 ? (values[p * channels + 3] ?? 1) * imageScale : 255;
    } else {
      // Grey images with values outside [0,1] are stretched to the full range.
      const v =
        imageScale === 255
          ? (values[p * channels] ?? 0) * 255
          : (((values[p * channels] ?? 0) - min) / span) * 255;
      rgba.set([v, v, v, 255], o);
    }
  }
  return { width: cols, height: rows, rgba };
}

/** A series as uPlot can draw it: points with a non-finite x left out, non-finite y as gaps (null). */
export function drawable(x: readonly number[], y: readonly number[]): { x: number[]; y: (number | null)[] } {
  const out: { x: number[]; y: (number | null)[] } = { x: [], y: [] };
  x.forEach((xi, i) => {
    if (!Number.isFinite(xi)) return;
    const yi = y[i] ?? Number.NaN;
    out.x.push(xi);
    out.y.push(Number.isFinite(yi) ? yi : null);
  });
  return out;
}
