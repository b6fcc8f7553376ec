/**
 * Validation of what the guest emits through `__host.emit`: plots and metrics (check results go through checks.ts).
 *
 * The payload arrives as plain JSON-parsed data (see bridge.ts). Nothing of it is merged or
 * spread into host objects: each field is read, checked and copied into a fresh object, so keys
 * such as `__proto__` or `constructor` in the payload are simply ignored.
 */
import type { PlotKind, PlotSpec } from "../events.js";
import { nonFiniteFromName } from "../non-finite.js";

/** Caps on one payload and on how many of each a run may emit. */
export const EMIT_CAPS = {
  seriesPerPlot: 32,
  pointsPerPlot: 100_000,
  valuesPerPlot: 1_048_576,
  plotsPerRun: 2_000,
  metricsPerRun: 100_000,
  checksPerRun: 2_000,
  textLength: 2_000,
  nameLength: 200,
  maxBins: 1_000,
} as const;

const PLOT_KINDS: readonly PlotKind[] = ["line", "scatter", "image", "heatmap", "histogram"];

export class EmitError extends Error {}

function own(record: object, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key)
    ? (record as Record<string, unknown>)[key]
    : undefined;
}

function isRecord(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalText(record: object, key: string, max: number): string | undefined {
  const value = own(record, key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new EmitError(`${key} must be a string`);
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/**
 * Numbers: JSON has no NaN or ±Infinity, so scratch/plot sends those by name ("NaN", "Infinity",
 * "-Infinity", read back here); a null (what JSON.stringify makes of them) reads as NaN.
 */
function numberList(value: unknown, what: string, max: number): number[] {
  if (!Array.isArray(value)) throw new EmitError(`${what} must be an array of numbers`);
  if (value.length > max) throw new EmitError(`${what} has more than ${max} values`);
  const out = new Array<number>(value.length);
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    const named = typeof v === "string" ? nonFiniteFromName(v) : undefined;
    if (typeof v === "number") out[i] = v;
    else if (named !== undefined) out[i] = named;
    else if (v === null) out[i] = Number.NaN;
    else throw new EmitError(`${what} must contain only numbers`);
  }
  return out;
}

function series(value: unknown): NonNullable<PlotSpec["series"]> {
  if (!Array.isArray(value)) throw new EmitError("series must be an array");
  if (value.length > EMIT_CAPS.seriesPerPlot) {
    throw new EmitError(`a plot has at most ${EMIT_CAPS.seriesPerPlot} series`);
  }
  let points = 0;
  return value.map((s: unknown) => {
    if (!isRecord(s)) throw new EmitError("each series must be an object");
    const y = numberList(own(s, "y"), "series y", EMIT_CAPS.pointsPerPlot);
    const rawX = own(s, "x");
    const x = rawX === undefined ? y.map((_, i) => i) : numberList(rawX, "series x", EMIT_CAPS.pointsPerPlot);
    if (x.length !== y.length) throw new EmitError("series x and y must have the same length");
    points += y.length;
    if (points > EMIT_CAPS.pointsPerPlot) {
      throw new EmitError(`a plot has at most ${EMIT_CAPS.pointsPerPlot} points`);
    }
    const out: { name?: string; x: number[]; y: number[]; labels?: number[] } = { x, y };
    const name = optionalText(s, "name", EMIT_CAPS.nameLength);
    if (name !== undefined) out.name = name;
    const labels = own(s, "labels");
    if (labels !== undefined && labels !== null) {
      out.labels = numberList(labels, "series labels", EMIT_CAPS.pointsPerPlot);
      if (out.labels.length !== y.length) throw new EmitError("series labels must match y in length");
    }
    return out;
  });
}

export function validatePlot(payload: unknown, fallbackId: string): PlotSpec {
  if (!isRecord(payload)) throw new EmitError("plot must be an object");
  const kind = own(payload, "kind");
  if (typeof kind !== "string" || !(PLOT_KINDS as readonly string[]).includes(kind)) {
    throw new EmitError(`plot kind must be one of ${PLOT_KINDS.join(", ")}`);
  }
  const id = optionalText(payload, "id", 100) ?? fallbackId;
  const plot: PlotSpec = { id, kind: kind as PlotKind };
  for (const key of ["title", "xLabel", "yLabel"] as const) {
    const value = optionalText(payload, key, EMIT_CAPS.nameLength);
    if (value !== undefined) plot[key] = value;
  }
  if (kind === "line" || kind === "scatter") {
    plot.series = series(own(payload, "series"));
  } else {
    plot.values = numberList(own(payload, "values"), "values", EMIT_CAPS.valuesPerPlot);
    if (kind === "histogram") {
      const bins = own(payload, "bins");
      if (bins !== undefined && bins !== null) {
        if (!Number.isInteger(bins) || (bins as number) < 1 || (bins as number) > EMIT_CAPS.maxBins) {
          throw new EmitError(`bins must be an integer from 1 to ${EMIT_CAPS.maxBins}`);
        }
        plot.bins = bins as number;
      }
    } else {
      const shape = own(payload, "shape");
      if (
        !Array.isArray(shape) ||
        (shape.length !== 2 && shape.length !== 3) ||
        !shape.every((d: unknown) => Number.isInteger(d) && (d as number) > 0)
      ) {
        throw new EmitError("shape must be [rows, cols] or [rows, cols, channels]");
      }
      const dims = shape as number[];
      if (dims.reduce((a, b) => a * b, 1) !== plot.values.length) {
        throw new EmitError("shape does not match the number of values");
      }
      plot.shape = [...dims];
    }
  }
  return plot;
}

export function validateMetric(payload: unknown): { name: string; step: number; value: number } {
  if (!isRecord(payload)) throw new EmitError("metric must be an object");
  const name = optionalText(payload, "name", EMIT_CAPS.nameLength);
  if (!name) throw new EmitError("metric name must be a non-empty string");
  const step = own(payload, "step");
  if (typeof step !== "number" || !Number.isFinite(step)) throw new EmitError("metric step must be a number");
  const value = own(payload, "value");
  // JSON has no NaN or ±Infinity: scratch/metrics sends those by name (so -Infinity is not null).
  const named = typeof value === "string" ? nonFiniteFromName(value) : undefined;
  if (named !== undefined) return { name, step, value: named };
  if (typeof value !== "number" && value !== null) throw new EmitError("metric value must be a number");
  return { name, step, value: value ?? Number.NaN };
}
