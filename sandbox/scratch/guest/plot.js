// @ts-check
/**
 * Plots as data: each call emits one `plot` event (a PlotSpec of sandbox/events.ts) that the
 * browser draws and `scratchroom run` summarises. Values may be tensors or plain arrays. Calling
 * again with the same `id` replaces that plot (a live-updating loss curve).
 *
 * @example plot.line(losses, { title: "loss", id: "loss" })
 */
import { host } from "scratch/_host";
import { Tensor } from "scratch/tensor";

let counter = 0;

/**
 * A number as it crosses to the host: JSON has no NaN or ±Infinity, so those go by name
 * ("NaN", "Infinity", "-Infinity"; runner/emitted.ts reads them back), as metrics do.
 */
const crossing = (v) => (Number.isFinite(v) ? v : String(v));

function numbers(values) {
  if (values instanceof Tensor) return Array.from(values.data(), crossing);
  const out = [];
  const walk = (v) => (Array.isArray(v) ? v.forEach(walk) : out.push(crossing(Number(v))));
  walk(values);
  return out;
}

function shapeOf(values) {
  if (values instanceof Tensor) return [...values.shape];
  const shape = [];
  for (let v = values; Array.isArray(v); v = v[0]) shape.push(v.length);
  return shape;
}

function emit(kind, options, fields) {
  const { id = `plot-${++counter}`, title, xLabel, yLabel } = options;
  const spec = { id, kind, ...fields };
  if (title !== undefined) spec.title = String(title);
  if (xLabel !== undefined) spec.xLabel = String(xLabel);
  if (yLabel !== undefined) spec.yLabel = String(yLabel);
  host.emit("plot", spec);
  return id;
}

/** Series from `ys` (one series, or an object { name: ys } of several); `x` defaults to 0, 1, 2… */
function seriesOf(ys, x) {
  const named = ys !== null && typeof ys === "object" && !Array.isArray(ys) && !(ys instanceof Tensor);
  const entries = named ? Object.entries(ys) : [[undefined, ys]];
  return entries.map(([name, values]) => {
    const y = numbers(values);
    const xs = x === undefined ? y.map((_, i) => i) : numbers(x);
    return name === undefined ? { x: xs, y } : { name, x: xs, y };
  });
}

/** A line chart of `ys` against `options.x`. Returns the plot's id. */
export function line(ys, options = {}) {
  return emit("line", options, { series: seriesOf(ys, options.x) });
}

/**
 * A scatter plot: `scatter(x, y, options)` with x, y of n values, or `scatter(points, options)`
 * with points [n, 2]. `options.labels` (n class labels) colours the points.
 */
export function scatter(x, y, options = {}) {
  let xs;
  let ys;
  if (x instanceof Tensor && x.ndim === 2 && x.shape[1] === 2 && !(y instanceof Tensor || Array.isArray(y))) {
    options = y ?? {};
    const flat = numbers(x);
    xs = flat.filter((_, i) => i % 2 === 0);
    ys = flat.filter((_, i) => i % 2 === 1);
  } else {
    xs = numbers(x);
    ys = numbers(y);
  }
  const series = { x: xs, y: ys };
  if (options.labels !== undefined) series.labels = numbers(options.labels);
  return emit("scatter", options, { series: [series] });
}

/** An image: [rows, cols] grey levels or [rows, cols, 3] colours (e.g. an MNIST digit reshaped). */
export function image(values, options = {}) {
  return emit("image", options, { values: numbers(values), shape: shapeOf(values) });
}

/** A heatmap of a [rows, cols] matrix (weights, a confusion matrix). */
export function heatmap(values, options = {}) {
  return emit("heatmap", options, { values: numbers(values), shape: shapeOf(values) });
}

/** A histogram of values with `options.bins` bins (default 20). */
export function histogram(values, options = {}) {
  return emit("histogram", options, { values: numbers(values), bins: options.bins ?? 20 });
}
