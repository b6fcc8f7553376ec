// @ts-check
/**
 * Shape arithmetic: what shape an op's result has, worked out in the guest so the library does
 * not have to ask the host (each question is a bridge crossing). Null means "not known here".
 */

/** NumPy broadcasting of two known shapes; null when unknown or incompatible (the host reports). */
export function broadcastShapes(a, b) {
  if (a === null || b === null) return null;
  const n = Math.max(a.length, b.length);
  const out = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Whether two shapes are equal. */
export function sameShape(a, b) {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Normalised axes (sorted, non-negative) of a reduction, or null for "all axes". */
export function axesOf(axis, rank) {
  if (axis === undefined || axis === null) return null;
  const list = Array.isArray(axis) ? axis : [axis];
  return list.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
}

/** The output shape of a reduction over `axes` (null: all) of a known shape. */
export function reducedShape(shape, axes, keepDims) {
  if (shape === null) return null;
  if (keepDims) return keptShape(shape, axes);
  return axes === null ? [] : shape.filter((_, i) => !axes.includes(i));
}

/** The output shape of a matmul of known shapes (batch dimensions broadcast). */
export function matmulShape(a, b) {
  if (a === null || b === null || a.length < 2 || b.length < 2) return null;
  const batch = broadcastShapes(a.slice(0, -2), b.slice(0, -2));
  return batch === null ? null : [...batch, a[a.length - 2], b[b.length - 1]];
}

/** A reshape target with its −1 resolved, when the input shape is known. */
export function resolveReshape(from, target) {
  const free = target.indexOf(-1);
  if (free < 0) return target;
  if (from === null) return null;
  const size = from.reduce((x, y) => x * y, 1);
  const rest = target.reduce((x, y, i) => (i === free ? x : x * y), 1);
  return rest === 0 ? null : target.map((d, i) => (i === free ? size / rest : d));
}

/** The shape a reduction keeps with keepDims: reduced axes become 1. */
export function keptShape(shape, axes) {
  return shape.map((d, i) => (axes === null || axes.includes(i) ? 1 : d));
}
