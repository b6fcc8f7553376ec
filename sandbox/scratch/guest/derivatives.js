// @ts-check
/**
 * The derivatives the engine takes from fused host kernels, written out with ordinary ops so they
 * can be read (and checked: test/derivatives.test.ts runs both on the same inputs and compares).
 * Each function takes what the fused kernel takes and returns the gradient of the op's input
 * given the gradient `g` of its output. The engine calls the fused kernel because one host call
 * per op is cheaper than five.
 */

import { tensor } from "scratch/tensor";

/** @typedef {import("./tensor.js").Tensor} T */

/**
 * relu(x) = max(x, 0): dx = g where x > 0, else 0.
 * @param {T} x
 * @param {T} g
 */
export const reluBackward = (x, g) => g.mul(x.gt(0));

/**
 * y = σ(x): dx = g · y · (1 − y).
 * @param {T} y
 * @param {T} g
 */
export const sigmoidBackward = (y, g) => g.mul(y).mul(y.neg().add(1));

/**
 * y = tanh(x): dx = g · (1 − y²).
 * @param {T} y
 * @param {T} g
 */
export const tanhBackward = (y, g) => g.mul(y.pow(2).neg().add(1));

/**
 * y = softmax(x) along `axis`: dx = y · (g − Σ g·y).
 * @param {T} y
 * @param {T} g
 * @param {number} axis
 */
export const softmaxBackward = (y, g, axis) => y.mul(g.sub(g.mul(y).sum(axis, true)));

/**
 * y = logSoftmax(x) along `axis`: dx = g − softmax(x) · Σ g, with softmax(x) = exp(y).
 * @param {T} y
 * @param {T} g
 * @param {number} axis
 */
export const logSoftmaxBackward = (y, g, axis) => g.sub(y.exp().mul(g.sum(axis, true)));

/**
 * y = max (or min) of x over `axes`, y and g kept with size-1 axes: the elements equal to the
 * extreme get g, tied ones sharing it equally: dx = g · [x = y] / #{x = y}.
 * @param {T} x
 * @param {T} y
 * @param {T} g
 * @param {number[] | null} axes
 */
export function extremeBackward(x, y, g, axes) {
  const isExtreme = x.eq(y);
  return isExtreme.mul(g).div(isExtreme.sum(axes ?? undefined, true));
}

/**
 * A broadcast input's gradient: g summed over the axes broadcasting added (leading ones) or
 * stretched (size 1 in `shape`): dx = Σ_broadcast-axes g, reshaped to `shape`.
 * @param {T} g
 * @param {number[]} shape
 */
export function sumTo(g, shape) {
  const lead = g.ndim - shape.length;
  const axes = g.shape
    .map((_, i) => i)
    .filter((i) => i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1));
  return (axes.length > 0 ? g.sum(axes, true) : g).reshape(shape);
}

// The kernels below are index bookkeeping rather than arithmetic, so their readable forms are
// plain loops over flat row-major arrays.

/** @param {readonly number[]} shape @param {number[]} index the flat row-major offset of `index` */
const at = (shape, index) => index.reduce((offset, v, i) => offset * shape[i] + v, 0);
/** @param {readonly number[]} dims */
const product = (dims) => dims.reduce((p, d) => p * d, 1);

/**
 * y = x.gather(idx, axis), y[…, j, …] = x[…, idx[j], …]: each slice of g is added back to the
 * slice of x it was read from, so an index used twice collects both: dx[…, i, …] = Σ_{j: idx[j] = i} g[…, j, …].
 * @param {T} g
 * @param {T} idx
 * @param {number[]} shape the shape of x
 * @param {number} axis
 */
export function gatherBackward(g, idx, shape, axis) {
  const outer = product(shape.slice(0, axis));
  const inner = product(shape.slice(axis + 1));
  const picks = Array.from(idx.data());
  const gv = g.data();
  const dx = new Float32Array(product(shape));
  for (let o = 0; o < outer; o++)
    picks.forEach((i, j) => {
      for (let k = 0; k < inner; k++)
        dx[(o * shape[axis] + i) * inner + k] += gv[(o * picks.length + j) * inner + k];
    });
  return tensor(dx, shape);
}

/**
 * Visits every product term of conv2d, y[n,o,i,j] = Σ_{c,p,q} x[n,c,i·sh+p−ph, j·sw+q−pw] · w[o,c,p,q]
 * (padding reads zeros, so out-of-bounds terms are skipped), with the flat offsets of x, w and y.
 * @param {readonly number[]} xs @param {readonly number[]} ws @param {readonly number[]} ys
 * @param {number[]} stride @param {number[]} pad
 * @param {(xi: number, wi: number, yi: number) => void} visit
 */
function eachConvTerm(xs, ws, ys, [sh, sw], [ph, pw], visit) {
  const [N, C, H, W] = xs;
  const [O, , KH, KW] = ws;
  const [, , OH, OW] = ys;
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let i = 0; i < OH; i++)
        for (let j = 0; j < OW; j++)
          for (let c = 0; c < C; c++)
            for (let p = 0; p < KH; p++)
              for (let q = 0; q < KW; q++) {
                const [h, w] = [i * sh + p - ph, j * sw + q - pw];
                if (h < 0 || h >= H || w < 0 || w >= W) continue;
                visit(at(xs, [n, c, h, w]), at(ws, [o, c, p, q]), at(ys, [n, o, i, j]));
              }
}

/**
 * conv2d's input gradient: each term x·w sends g·w to its x: dx[n,c,h,w] = Σ g[n,o,i,j] · w[o,c,p,q]
 * over the terms with h = i·sh+p−ph, w = j·sw+q−pw.
 * @param {T} g @param {T} weight @param {number[]} xShape
 * @param {number[]} stride [sh, sw] @param {number[]} pad [ph, pw]
 */
export function conv2dBackwardInput(g, weight, xShape, stride, pad) {
  const [gv, wv] = [g.data(), weight.data()];
  const dx = new Float32Array(product(xShape));
  eachConvTerm(xShape, weight.shape, g.shape, stride, pad, (xi, wi, yi) => (dx[xi] += gv[yi] * wv[wi]));
  return tensor(dx, xShape);
}

/**
 * conv2d's filter gradient: each term x·w sends g·x to its w: dw[o,c,p,q] = Σ_{n,i,j} g[n,o,i,j] ·
 * x[n,c,i·sh+p−ph, j·sw+q−pw].
 * @param {T} x @param {T} g @param {number[]} wShape
 * @param {number[]} stride [sh, sw] @param {number[]} pad [ph, pw]
 */
export function conv2dBackwardFilter(x, g, wShape, stride, pad) {
  const [xv, gv] = [x.data(), g.data()];
  const dw = new Float32Array(product(wShape));
  eachConvTerm(x.shape, wShape, g.shape, stride, pad, (xi, wi, yi) => (dw[wi] += gv[yi] * xv[xi]));
  return tensor(dw, wShape);
}

/**
 * Visits every pooling window y[n,c,i,j] of x (NCHW) with the flat offsets of its real cells
 * x[n,c,i·sh+p−pad, j·sw+q−pad] (padded cells are left out) and of y.
 * @param {readonly number[]} xs @param {readonly number[]} ys
 * @param {number[]} kernel [kh, kw] @param {number[]} stride [sh, sw] @param {number} pad
 * @param {(cells: number[], yi: number) => void} visit
 */
function eachWindow(xs, ys, [kh, kw], [sh, sw], pad, visit) {
  const [N, C, H, W] = xs;
  const [, , OH, OW] = ys;
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let i = 0; i < OH; i++)
        for (let j = 0; j < OW; j++) {
          const cells = [];
          for (let p = 0; p < kh; p++)
            for (let q = 0; q < kw; q++) {
              const [h, w] = [i * sh + p - pad, j * sw + q - pad];
              if (h >= 0 && h < H && w >= 0 && w < W) cells.push(at(xs, [n, c, h, w]));
            }
          visit(cells, at(ys, [n, c, i, j]));
        }
}

/**
 * y = maxPool2d(x): a window's g goes to its maximal real cells, ties sharing it equally (padding
 * is −∞, never the maximum): dx[cell] = Σ_windows g · [x = max] / #{x = max}.
 * @param {T} g @param {T} x
 * @param {number[]} kernel [kh, kw] @param {number[]} stride [sh, sw] @param {number} pad
 */
export function maxPool2dBackward(g, x, kernel, stride, pad) {
  const [gv, xv] = [g.data(), x.data()];
  const dx = new Float32Array(xv.length);
  eachWindow(x.shape, g.shape, kernel, stride, pad, (cells, yi) => {
    const max = Math.max(...cells.map((c) => xv[c]));
    const winners = cells.filter((c) => xv[c] === max);
    for (const c of winners) dx[c] += gv[yi] / winners.length;
  });
  return tensor(dx, x.shape);
}

/**
 * y = avgPool2d(x), every window divided by kh·kw (padded zeros counted): each real cell of a
 * window gets dx[cell] = Σ_windows g / (kh·kw).
 * @param {T} g @param {T} x
 * @param {number[]} kernel [kh, kw] @param {number[]} stride [sh, sw] @param {number} pad
 */
export function avgPool2dBackward(g, x, kernel, stride, pad) {
  const gv = g.data();
  const dx = new Float32Array(product(x.shape));
  eachWindow(x.shape, g.shape, kernel, stride, pad, (cells, yi) => {
    for (const c of cells) dx[c] += gv[yi] / (kernel[0] * kernel[1]);
  });
  return tensor(dx, x.shape);
}
