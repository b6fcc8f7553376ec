/**
 * An independent float64 reference for the `scratch` kernels, in plain JavaScript (no tfjs): the
 * property suites compare every kernel and every gradient with it. Arrays are row-major
 * {shape, data}; every function is written from its definition (loops over indices), not from the
 * kernel it checks, so a shared mistake is unlikely.
 */

export interface Arr {
  shape: number[];
  data: Float64Array;
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function arr(shape: readonly number[], values?: ArrayLike<number>): Arr {
  const data = new Float64Array(sizeOf(shape));
  if (values !== undefined) for (let i = 0; i < data.length; i++) data[i] = values[i] ?? 0;
  return { shape: [...shape], data };
}

/** The multi-index of flat position `flat` in `shape`. */
function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i] ?? 1;
    idx[i] = flat % d;
    flat = Math.floor(flat / d);
  }
  return idx;
}

function ravel(idx: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let i = 0; i < shape.length; i++) flat = flat * (shape[i] ?? 1) + (idx[i] ?? 0);
  return flat;
}

const get = (a: Arr, idx: readonly number[]) => a.data[ravel(idx, a.shape)] ?? Number.NaN;

export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new RangeError(`cannot broadcast [${a}] with [${b}]`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

export function broadcastTo(a: Arr, shape: readonly number[]): Arr {
  const out = arr(shape);
  const lead = shape.length - a.shape.length;
  for (let f = 0; f < out.data.length; f++) {
    const idx = unravel(f, shape)
      .slice(lead)
      .map((v, i) => ((a.shape[i] ?? 1) === 1 ? 0 : v));
    out.data[f] = get(a, idx);
  }
  return out;
}

export function map(a: Arr, f: (x: number) => number): Arr {
  return { shape: [...a.shape], data: a.data.map(f) };
}

export function zip(a: Arr, b: Arr, f: (x: number, y: number) => number): Arr {
  const shape = broadcastShape(a.shape, b.shape);
  const A = broadcastTo(a, shape);
  const B = broadcastTo(b, shape);
  return { shape, data: A.data.map((x, i) => f(x, B.data[i] ?? Number.NaN)) };
}

export function zip3(a: Arr, b: Arr, c: Arr, f: (x: number, y: number, z: number) => number): Arr {
  const shape = broadcastShape(broadcastShape(a.shape, b.shape), c.shape);
  const [A, B, C] = [a, b, c].map((t) => broadcastTo(t, shape)) as [Arr, Arr, Arr];
  return { shape, data: A.data.map((x, i) => f(x, B.data[i] ?? 0, C.data[i] ?? 0)) };
}

/** Reduces over `axes` (null: all) with an accumulator; keepDims keeps size-1 axes. */
export function reduce(
  a: Arr,
  axes: readonly number[] | null,
  keepDims: boolean,
  init: number,
  f: (acc: number, x: number) => number,
): Arr {
  const ax = axes === null ? a.shape.map((_, i) => i) : axes.map((x) => (x < 0 ? x + a.shape.length : x));
  const kept = a.shape.map((d, i) => (ax.includes(i) ? 1 : d));
  const out = arr(kept);
  out.data.fill(init);
  for (let f0 = 0; f0 < a.data.length; f0++) {
    const idx = unravel(f0, a.shape).map((v, i) => (ax.includes(i) ? 0 : v));
    const o = ravel(idx, kept);
    out.data[o] = f(out.data[o] ?? init, a.data[f0] ?? Number.NaN);
  }
  return keepDims ? out : { shape: a.shape.filter((_, i) => !ax.includes(i)), data: out.data };
}

export const sum = (a: Arr, axes: readonly number[] | null, keep = false) =>
  reduce(a, axes, keep, 0, (s, x) => s + x);

export function mean(a: Arr, axes: readonly number[] | null, keep = false): Arr {
  const s = sum(a, axes, keep);
  const count = a.data.length / Math.max(s.data.length, 1);
  return map(s, (x) => x / count);
}

/** Sums a broadcast array back to `shape`. */
export function sumTo(a: Arr, shape: readonly number[]): Arr {
  const out = arr(shape);
  const lead = a.shape.length - shape.length;
  for (let f = 0; f < a.data.length; f++) {
    const idx = unravel(f, a.shape)
      .slice(lead)
      .map((v, i) => ((shape[i] ?? 1) === 1 ? 0 : v));
    const o = ravel(idx, shape);
    out.data[o] = (out.data[o] ?? 0) + (a.data[f] ?? 0);
  }
  return out;
}

export function reshape(a: Arr, shape: readonly number[]): Arr {
  return { shape: [...shape], data: a.data.slice() };
}

export function transpose(a: Arr, perm?: readonly number[]): Arr {
  const p = perm ?? a.shape.map((_, i) => a.shape.length - 1 - i);
  const shape = p.map((i) => a.shape[i] ?? 1);
  const out = arr(shape);
  for (let f = 0; f < out.data.length; f++) {
    const idx = unravel(f, shape);
    const src = new Array<number>(a.shape.length);
    p.forEach((axis, i) => (src[axis] = idx[i] ?? 0));
    out.data[f] = get(a, src);
  }
  return out;
}

export function slice(a: Arr, begin: readonly number[], size: readonly number[]): Arr {
  const s = size.map((d, i) => (d === -1 ? (a.shape[i] ?? 0) - (begin[i] ?? 0) : d));
  const out = arr(s);
  for (let f = 0; f < out.data.length; f++) {
    out.data[f] = get(
      a,
      unravel(f, s).map((v, i) => v + (begin[i] ?? 0)),
    );
  }
  return out;
}

/** Pads with `value`: amounts = [before0, after0, before1, after1, …]. */
export function pad(a: Arr, amounts: readonly number[], value = 0): Arr {
  const shape = a.shape.map((d, i) => d + (amounts[2 * i] ?? 0) + (amounts[2 * i + 1] ?? 0));
  const out = arr(shape);
  out.data.fill(value);
  for (let f = 0; f < a.data.length; f++) {
    const idx = unravel(f, a.shape).map((v, i) => v + (amounts[2 * i] ?? 0));
    out.data[ravel(idx, shape)] = a.data[f] ?? 0;
  }
  return out;
}

export function concat(xs: readonly Arr[], axis: number): Arr {
  const first = xs[0];
  if (first === undefined) throw new RangeError("concat of nothing");
  const shape = [...first.shape];
  shape[axis] = xs.reduce((s, x) => s + (x.shape[axis] ?? 0), 0);
  const out = arr(shape);
  let offset = 0;
  for (const x of xs) {
    for (let f = 0; f < x.data.length; f++) {
      const idx = unravel(f, x.shape);
      idx[axis] = (idx[axis] ?? 0) + offset;
      out.data[ravel(idx, shape)] = x.data[f] ?? 0;
    }
    offset += x.shape[axis] ?? 0;
  }
  return out;
}

export function stack(xs: readonly Arr[], axis: number): Arr {
  return concat(
    xs.map((x) => reshape(x, [...x.shape.slice(0, axis), 1, ...x.shape.slice(axis)])),
    axis,
  );
}

export function gather(a: Arr, indices: Arr, axis: number): Arr {
  const shape = [...a.shape.slice(0, axis), ...indices.shape, ...a.shape.slice(axis + 1)];
  const out = arr(shape);
  const r = indices.shape.length;
  for (let f = 0; f < out.data.length; f++) {
    const idx = unravel(f, shape);
    const which = indices.data[ravel(idx.slice(axis, axis + r), indices.shape)] ?? 0;
    out.data[f] = get(a, [...idx.slice(0, axis), which, ...idx.slice(axis + r)]);
  }
  return out;
}

/** The gradient of gather: scatter-adds dy into zeros of `shape`. */
export function gatherBackward(dy: Arr, indices: Arr, shape: readonly number[], axis: number): Arr {
  const out = arr(shape);
  const r = indices.shape.length;
  for (let f = 0; f < dy.data.length; f++) {
    const idx = unravel(f, dy.shape);
    const which = indices.data[ravel(idx.slice(axis, axis + r), indices.shape)] ?? 0;
    const o = ravel([...idx.slice(0, axis), which, ...idx.slice(axis + r)], shape);
    out.data[o] = (out.data[o] ?? 0) + (dy.data[f] ?? 0);
  }
  return out;
}

export function tile(a: Arr, reps: readonly number[]): Arr {
  const shape = a.shape.map((d, i) => d * (reps[i] ?? 1));
  const out = arr(shape);
  for (let f = 0; f < out.data.length; f++) {
    out.data[f] = get(
      a,
      unravel(f, shape).map((v, i) => v % (a.shape[i] ?? 1)),
    );
  }
  return out;
}

/** Batched matrix product; batch dimensions broadcast. */
export function matmul(a: Arr, b: Arr, ta = false, tb = false): Arr {
  const A = ta ? swapLast(a) : a;
  const B = tb ? swapLast(b) : b;
  const [m = 0, k = 0] = A.shape.slice(-2);
  const [k2 = 0, n = 0] = B.shape.slice(-2);
  if (k !== k2) throw new RangeError(`matmul: inner dimensions ${k} and ${k2}`);
  const batch = broadcastShape(A.shape.slice(0, -2), B.shape.slice(0, -2));
  const Ab = broadcastTo(A, [...batch, m, k]);
  const Bb = broadcastTo(B, [...batch, k, n]);
  const out = arr([...batch, m, n]);
  const count = sizeOf(batch);
  for (let q = 0; q < count; q++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let r = 0; r < k; r++)
          s += (Ab.data[q * m * k + i * k + r] ?? 0) * (Bb.data[q * k * n + r * n + j] ?? 0);
        out.data[q * m * n + i * n + j] = s;
      }
  return out;
}

function swapLast(a: Arr): Arr {
  const p = a.shape.map((_, i) => i);
  const r = p.length;
  [p[r - 2], p[r - 1]] = [r - 1, r - 2];
  return transpose(a, p);
}

/** Output size of a window of `k` sliding by `s` over `n` cells padded by `p` on both sides. */
export const windows = (n: number, k: number, s: number, p: number) => Math.floor((n + 2 * p - k) / s) + 1;

/** 2-D convolution, x [N, C, H, W], w [O, C, KH, KW]. */
export function conv2d(x: Arr, w: Arr, stride: [number, number], padding: [number, number]): Arr {
  const [N = 0, C = 0, H = 0, W = 0] = x.shape;
  const [O = 0, , KH = 0, KW = 0] = w.shape;
  const OH = windows(H, KH, stride[0], padding[0]);
  const OW = windows(W, KW, stride[1], padding[1]);
  const out = arr([N, O, OH, OW]);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let i = 0; i < OH; i++)
        for (let j = 0; j < OW; j++) {
          let s = 0;
          for (let c = 0; c < C; c++)
            for (let di = 0; di < KH; di++)
              for (let dj = 0; dj < KW; dj++) {
                const h = i * stride[0] + di - padding[0];
                const v = j * stride[1] + dj - padding[1];
                if (h < 0 || h >= H || v < 0 || v >= W) continue;
                s += get(x, [n, c, h, v]) * get(w, [o, c, di, dj]);
              }
          out.data[ravel([n, o, i, j], out.shape)] = s;
        }
  return out;
}

/** The gradients of Σ dy · conv2d(x, w) with respect to x and w. */
export function conv2dBackward(
  x: Arr,
  w: Arr,
  dy: Arr,
  stride: [number, number],
  padding: [number, number],
): { dx: Arr; dw: Arr } {
  const [N = 0, C = 0, H = 0, W = 0] = x.shape;
  const [O = 0, , KH = 0, KW = 0] = w.shape;
  const [, , OH = 0, OW = 0] = dy.shape;
  const dx = arr(x.shape);
  const dw = arr(w.shape);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let i = 0; i < OH; i++)
        for (let j = 0; j < OW; j++) {
          const g = get(dy, [n, o, i, j]);
          for (let c = 0; c < C; c++)
            for (let di = 0; di < KH; di++)
              for (let dj = 0; dj < KW; dj++) {
                const h = i * stride[0] + di - padding[0];
                const v = j * stride[1] + dj - padding[1];
                if (h < 0 || h >= H || v < 0 || v >= W) continue;
                const xi = ravel([n, c, h, v], x.shape);
                const wi = ravel([o, c, di, dj], w.shape);
                dx.data[xi] = (dx.data[xi] ?? 0) + g * (w.data[wi] ?? 0);
                dw.data[wi] = (dw.data[wi] ?? 0) + g * (x.data[xi] ?? 0);
              }
        }
  return { dx, dw };
}

/**
 * 2-D pooling of x [N, C, H, W] and its gradient for a given dy. Conventions (the library's):
 * max pooling ignores padding and splits a window's gradient equally between tied maxima;
 * average pooling counts padded cells as zeros and divides by the full window.
 */
export function pool2d(
  kind: "max" | "avg",
  x: Arr,
  size: [number, number],
  stride: [number, number],
  padding: number,
  dy?: Arr,
): { y: Arr; dx: Arr } {
  const [N = 0, C = 0, H = 0, W = 0] = x.shape;
  const OH = windows(H, size[0], stride[0], padding);
  const OW = windows(W, size[1], stride[1], padding);
  const y = arr([N, C, OH, OW]);
  const dx = arr(x.shape);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let i = 0; i < OH; i++)
        for (let j = 0; j < OW; j++) {
          const cells: number[] = [];
          for (let di = 0; di < size[0]; di++)
            for (let dj = 0; dj < size[1]; dj++) {
              const h = i * stride[0] + di - padding;
              const v = j * stride[1] + dj - padding;
              if (h >= 0 && h < H && v >= 0 && v < W) cells.push(ravel([n, c, h, v], x.shape));
            }
          const values = cells.map((k) => x.data[k] ?? 0);
          const o = ravel([n, c, i, j], y.shape);
          const g = dy === undefined ? 0 : (dy.data[o] ?? 0);
          if (kind === "max") {
            const top = Math.max(...values);
            y.data[o] = top;
            const winners = cells.filter((_, k) => values[k] === top);
            for (const k of winners) dx.data[k] = (dx.data[k] ?? 0) + g / winners.length;
          } else {
            const area = size[0] * size[1];
            y.data[o] = values.reduce((s, v) => s + v, 0) / area;
            for (const k of cells) dx.data[k] = (dx.data[k] ?? 0) + g / area;
          }
        }
  return { y, dx };
}

/** log Σ exp along `axis` (kept), computed stably. */
export function logSumExp(a: Arr, axis: number, keepDims = true): Arr {
  const top = reduce(a, [axis], true, -Infinity, Math.max);
  const shifted = zip(a, top, (x, t) => Math.exp(x - (Number.isFinite(t) ? t : 0)));
  const s = sum(shifted, [axis], true);
  const out = zip(s, top, (v, t) => Math.log(v) + (Number.isFinite(t) ? t : 0));
  return keepDims
    ? out
    : reshape(
        out,
        a.shape.filter((_, i) => i !== (axis < 0 ? axis + a.shape.length : axis)),
      );
}

export const logSoftmax = (a: Arr, axis: number) => zip(a, logSumExp(a, axis), (x, l) => x - l);
export const softmax = (a: Arr, axis: number) => map(logSoftmax(a, axis), Math.exp);

/**
 * The gradient of Σ dy · f(inputs) with respect to input `which`, by central differences in float64
 * (h = 1e-5): for smooth f this agrees with the exact derivative to about 1e-9.
 */
export function numericGrad(f: (xs: Arr[]) => Arr, xs: Arr[], dy: Arr, which: number): Arr {
  const x = xs[which];
  if (x === undefined) throw new RangeError(`no input ${which}`);
  const g = arr(x.shape);
  const h = 1e-5;
  const dot = (y: Arr) => y.data.reduce((s, v, i) => s + v * (dy.data[i] ?? 0), 0);
  for (let i = 0; i < x.data.length; i++) {
    const at = (delta: number) => {
      const moved = { shape: x.shape, data: x.data.slice() };
      moved.data[i] = (moved.data[i] ?? 0) + delta;
      return dot(f(xs.map((t, j) => (j === which ? moved : t))));
    };
    g.data[i] = (at(h) - at(-h)) / (2 * h);
  }
  return g;
}

export { unravel, ravel };

/** Matrices of the last two axes, batch by batch: [..., n, n] → list of row-major n × n. */
function eachMatrix(a: Arr, f: (m: Float64Array, n: number, offset: number) => void): void {
  const n = a.shape[a.shape.length - 1] ?? 0;
  for (let o = 0; o + n * n <= a.data.length && n > 0; o += n * n) f(a.data, n, o);
}

/** Cholesky factor by the textbook Cholesky–Banachiewicz loop (reads the lower triangle). */
export function cholesky(a: Arr): Arr {
  const out = arr(a.shape);
  eachMatrix(a, (A, n, o) => {
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        let s = A[o + i * n + j] ?? 0;
        for (let k = 0; k < j; k++) s -= (out.data[o + i * n + k] ?? 0) * (out.data[o + j * n + k] ?? 0);
        out.data[o + i * n + j] = i === j ? Math.sqrt(s) : s / (out.data[o + j * n + j] ?? 1);
      }
  });
  return out;
}

/** The inverse of each square matrix, by Gauss–Jordan elimination with partial pivoting. */
export function inverse(a: Arr): Arr {
  const out = arr(a.shape);
  eachMatrix(a, (A, n, o) => {
    const m = Array.from({ length: n }, (_, i) =>
      Array.from({ length: 2 * n }, (_, j) => (j < n ? (A[o + i * n + j] ?? 0) : j - n === i ? 1 : 0)),
    );
    for (let c = 0; c < n; c++) {
      let p = c;
      for (let r = c + 1; r < n; r++) if (Math.abs(m[r]?.[c] ?? 0) > Math.abs(m[p]?.[c] ?? 0)) p = r;
      [m[c], m[p]] = [m[p] as number[], m[c] as number[]];
      const row = m[c] as number[];
      const pivot = row[c] ?? 1;
      for (let j = 0; j < 2 * n; j++) row[j] = (row[j] ?? 0) / pivot;
      for (let r = 0; r < n; r++) {
        if (r === c) continue;
        const other = m[r] as number[];
        const f = other[c] ?? 0;
        for (let j = 0; j < 2 * n; j++) other[j] = (other[j] ?? 0) - f * (row[j] ?? 0);
      }
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.data[o + i * n + j] = m[i]?.[n + j] ?? 0;
  });
  return out;
}

/** The lower (or upper) triangle of each matrix, the rest zeroed. */
export function triangle(a: Arr, lower: boolean): Arr {
  const out = arr(a.shape);
  const n = a.shape[a.shape.length - 1] ?? 0;
  a.data.forEach((v, f) => {
    const i = Math.floor(f / n) % n;
    const j = f % n;
    out.data[f] = (lower ? j <= i : j >= i) ? v : 0;
  });
  return out;
}
