/**
 * Linear-algebra kernels tfjs lacks: the Cholesky factorisation, triangular solves and general
 * solves (LU with partial pivoting), on batches of square matrices whose batch dimensions
 * broadcast. They run as plain float64 loops on the host (the matrices of a seminar — a Gaussian
 * process over a few hundred points — are small), with a work bound so a huge request fails fast.
 * Their gradients are guest code (guest/linalg.js), built from these same kernels.
 */
import * as tf from "@tensorflow/tfjs-core";
import { kernel } from "./kernel.js";
import { broadcastTo } from "./movement.js";
import { KernelArgumentError } from "../../kernel/argument-error.js";

/** At most this many multiply-adds per call (about a second of host time). */
export const MAX_LINALG_WORK = 3e8;

interface Batch {
  /** Broadcast batch shape. */
  batch: number[];
  count: number;
  a: Float64Array;
  b: Float64Array;
  n: number;
  m: number;
}

function square(a: tf.Tensor, op: string): number {
  const [r = -1, c = -2] = a.shape.slice(-2);
  if (a.rank < 2 || r !== c) {
    throw new KernelArgumentError(`${op}: expects square matrices [..., n, n], got [${a.shape}]`);
  }
  return r;
}

function checkWork(op: string, count: number, n: number, m: number): void {
  if (count * n * n * Math.max(n, m) > MAX_LINALG_WORK) {
    throw new KernelArgumentError(`${op}: ${count} matrices of size ${n} are too large for this host`);
  }
}

/** A [..., n, n] and B [..., n, m] broadcast to one batch shape, as float64 data. */
function pairBatch(a: tf.Tensor, b: tf.Tensor, op: string): Batch {
  const n = square(a, op);
  const [bn = -1, m = 0] = b.shape.slice(-2);
  if (b.rank < 2 || bn !== n) {
    throw new KernelArgumentError(`${op}: the right-hand side must be [..., ${n}, k], got [${b.shape}]`);
  }
  const batch = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const count = batch.reduce((x, y) => x * y, 1);
  checkWork(op, count, n, m);
  const data = (t: tf.Tensor, r: number, c: number) =>
    Float64Array.from(tf.tidy(() => broadcastTo(t, [...batch, r, c]).dataSync()));
  return { batch, count, a: data(a, n, n), b: data(b, n, m), n, m };
}

/** L with A = L·Lᵀ, L lower triangular with a positive diagonal (only A's lower triangle is read). */
export function cholesky(a: tf.Tensor): tf.Tensor {
  const n = square(a, "cholesky");
  const count = a.size / Math.max(n * n, 1);
  checkWork("cholesky", count, n, n);
  const A = Float64Array.from(a.dataSync());
  const L = new Float64Array(A.length);
  for (let q = 0; q < count; q++) {
    const o = q * n * n;
    for (let j = 0; j < n; j++) {
      let d = A[o + j * n + j] ?? 0;
      for (let k = 0; k < j; k++) d -= (L[o + j * n + k] ?? 0) ** 2;
      if (!(d > 0)) {
        throw new KernelArgumentError(
          `cholesky: the matrix is not positive definite (pivot ${j} is ${d.toPrecision(3)}); ` +
            "make it symmetric and add a small jitter to the diagonal, e.g. K.add(eye(n).mul(1e-6))",
        );
      }
      const djj = Math.sqrt(d);
      L[o + j * n + j] = djj;
      for (let i = j + 1; i < n; i++) {
        let s = A[o + i * n + j] ?? 0;
        for (let k = 0; k < j; k++) s -= (L[o + i * n + k] ?? 0) * (L[o + j * n + k] ?? 0);
        L[o + i * n + j] = s / djj;
      }
    }
  }
  return tf.tensor(Float32Array.from(L), a.shape, "float32");
}

/**
 * X with op(A)·X = B, A triangular (its other triangle is ignored), op(A) = A or Aᵀ: forward
 * substitution for a lower op(A), back substitution for an upper one.
 */
export function triangularSolve(a: tf.Tensor, b: tf.Tensor, lower: boolean, transposeA: boolean): tf.Tensor {
  const { batch, count, a: A, b: B, n, m } = pairBatch(a, b, "solveTriangular");
  const X = new Float64Array(count * n * m);
  // Entry (i, k) of op(A).
  const at = (o: number, i: number, k: number) => (transposeA ? A[o + k * n + i] : A[o + i * n + k]) ?? 0;
  const forward = lower !== transposeA;
  for (let q = 0; q < count; q++) {
    const oa = q * n * n;
    const ob = q * n * m;
    for (let step = 0; step < n; step++) {
      const i = forward ? step : n - 1 - step;
      const d = at(oa, i, i);
      if (d === 0)
        throw new KernelArgumentError(`solveTriangular: the matrix is singular (diagonal entry ${i} is 0)`);
      for (let c = 0; c < m; c++) {
        let s = B[ob + i * m + c] ?? 0;
        if (forward) for (let k = 0; k < i; k++) s -= at(oa, i, k) * (X[ob + k * m + c] ?? 0);
        else for (let k = i + 1; k < n; k++) s -= at(oa, i, k) * (X[ob + k * m + c] ?? 0);
        X[ob + i * m + c] = s / d;
      }
    }
  }
  return tf.tensor(Float32Array.from(X), [...batch, n, m], "float32");
}

/** X with A·X = B for square A, by LU factorisation with partial pivoting. */
export function solve(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const { batch, count, a: A, b: B, n, m } = pairBatch(a, b, "solve");
  for (let q = 0; q < count; q++) {
    const oa = q * n * n;
    const ob = q * n * m;
    const swapRows = (data: Float64Array, o: number, width: number, r1: number, r2: number) => {
      for (let c = 0; c < width; c++) {
        const t = data[o + r1 * width + c] ?? 0;
        data[o + r1 * width + c] = data[o + r2 * width + c] ?? 0;
        data[o + r2 * width + c] = t;
      }
    };
    // Gaussian elimination on [A | B], choosing the largest pivot of each column.
    let scale = 0;
    for (let i = 0; i < n * n; i++) scale = Math.max(scale, Math.abs(A[oa + i] ?? 0));
    for (let j = 0; j < n; j++) {
      let p = j;
      for (let i = j + 1; i < n; i++) {
        if (Math.abs(A[oa + i * n + j] ?? 0) > Math.abs(A[oa + p * n + j] ?? 0)) p = i;
      }
      const pivot = A[oa + p * n + j] ?? 0;
      if (Math.abs(pivot) <= scale * n * 1e-12) {
        throw new KernelArgumentError(`solve: the matrix is singular (no usable pivot in column ${j})`);
      }
      swapRows(A, oa, n, j, p);
      swapRows(B, ob, m, j, p);
      for (let i = j + 1; i < n; i++) {
        const f = (A[oa + i * n + j] ?? 0) / pivot;
        if (f === 0) continue;
        for (let c = j; c < n; c++)
          A[oa + i * n + c] = (A[oa + i * n + c] ?? 0) - f * (A[oa + j * n + c] ?? 0);
        for (let c = 0; c < m; c++)
          B[ob + i * m + c] = (B[ob + i * m + c] ?? 0) - f * (B[ob + j * m + c] ?? 0);
      }
    }
    for (let i = n - 1; i >= 0; i--) {
      for (let c = 0; c < m; c++) {
        let s = B[ob + i * m + c] ?? 0;
        for (let k = i + 1; k < n; k++) s -= (A[oa + i * n + k] ?? 0) * (B[ob + k * m + c] ?? 0);
        B[ob + i * m + c] = s / (A[oa + i * n + i] ?? 1);
      }
    }
  }
  return tf.tensor(Float32Array.from(B), [...batch, n, m], "float32");
}

export const linalgKernels = {
  cholesky: kernel(["tensor"], (a) => cholesky(a)),
  /** triangularSolve(a, b, lower, transposeA): X with op(A)·X = B. */
  triangularSolve: kernel(["tensor", "tensor", "bool", "bool"], (a, b, lower, transposeA) =>
    triangularSolve(a, b, lower, transposeA),
  ),
  solve: kernel(["tensor", "tensor"], (a, b) => solve(a, b)),
};
