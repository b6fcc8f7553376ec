// @ts-check
/**
 * Linear algebra: the Cholesky factorisation and linear solves (general and triangular), for
 * Gaussian processes and least squares. Each is one host kernel; its gradient is written below
 * from the same kernels and ordinary ops, so it can be read like the rest of the engine.
 * Matrices are the last two axes; leading (batch) axes broadcast.
 */
import { record } from "scratch/autograd";
import { kernelCall } from "scratch/_host";
import { Tensor, tensor } from "scratch/tensor";

/** @typedef {import("./tensor.js").Tensor} T */

/**
 * The n × n mask of a triangle: lower (with the diagonal) or upper (with the diagonal).
 * @param {number} n
 * @param {boolean} lower
 * @returns {T}
 */
function triangle(n, lower) {
  const values = new Float32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) values[i * n + j] = (lower ? j <= i : j >= i) ? 1 : 0;
  return tensor(values, [n, n]);
}

/**
 * Sums a broadcast gradient back to `shape` (batch axes that were broadcast).
 * @param {T} g
 * @param {readonly number[]} shape
 * @returns {T}
 */
function sumTo(g, shape) {
  const same = g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i]);
  return same ? g : new Tensor(kernelCall("sumTo", [g.handle, shape]), { shape });
}

/**
 * Swaps the last two axes.
 * @param {T} x
 * @returns {T}
 */
const mT = (x) => x.transpose(-1, -2);

/**
 * Runs `fn` on b as a matrix: a vector b [n] is solved as the column [n, 1] and returned as [n].
 * @param {T} b
 * @param {(b: T) => T} fn
 * @returns {T}
 */
function columns(b, fn) {
  if (b.ndim !== 1) return fn(b);
  return fn(b.reshape([-1, 1])).reshape([-1]);
}

/**
 * The lower-triangular L with a positive diagonal such that a = L·Lᵀ, for a symmetric positive
 * definite a [..., n, n] (only its lower triangle is read). A matrix that is not positive
 * definite raises an error suggesting jitter on the diagonal.
 * @example const L = cholesky(K.add(eye(n).mul(1e-6)));
 * @param {T} a
 * @returns {T}
 */
export function cholesky(a) {
  const L = new Tensor(kernelCall("cholesky", [a.handle]), { shape: a.shape });
  return record(L, [a], [(g) => choleskyBackward(L, g)]);
}

/**
 * The gradient of a = L·Lᵀ (Murray 2016, as PyTorch): with P = Φ(Lᵀ·g), the lower triangle of
 * Lᵀ·g made symmetric with its diagonal halved, the gradient of a is L⁻ᵀ · P · L⁻¹.
 * @param {T} L
 * @param {T} g
 * @returns {T}
 */
export function choleskyBackward(L, g) {
  const n = L.shape[L.ndim - 1];
  const lower = triangle(n, true);
  const strict = lower.sub(triangle(n, false).mul(lower)); // below the diagonal only
  const lowerPart = mT(L).matmul(g).mul(lower);
  const P = lowerPart.add(mT(lowerPart.mul(strict))).mul(0.5);
  const Y = solveTriangular(L, P, { lower: true, transpose: true }); // Lᵀ·Y = P
  return mT(solveTriangular(L, mT(Y), { lower: true, transpose: true })); // X·L = Y
}

/**
 * x with a·x = b, for square a [..., n, n] and b [..., n, k] or a vector b [n]. Uses LU with
 * partial pivoting; a singular a raises an error. Prefer `cholesky` + `solveTriangular` for a
 * symmetric positive definite a.
 * @example solve(tensor([[2, 0], [0, 4]]), tensor([2, 4])).toArray(); // [1, 1]
 * @param {T} a
 * @param {T} b
 * @returns {T}
 */
export function solve(a, b) {
  return columns(b, (B) => {
    const x = new Tensor(kernelCall("solve", [a.handle, B.handle]));
    return record(
      x,
      [a, B],
      [
        // x = a⁻¹·b: db = a⁻ᵀ·g, da = −db·xᵀ
        (g) => sumTo(solve(mT(a), g).matmul(mT(x)).neg(), a.shape),
        (g) => sumTo(solve(mT(a), g), B.shape),
      ],
    );
  });
}

/**
 * x with op(a)·x = b for a triangular a [..., n, n] (the other triangle is ignored) and b
 * [..., n, k] or [n]; op(a) is a, or aᵀ with `transpose: true`.
 * @example solveTriangular(L, y, { lower: true })
 * @param {T} a
 * @param {T} b
 * @param {{ lower?: boolean, transpose?: boolean }} [options]
 * @returns {T}
 */
export function solveTriangular(a, b, { lower = true, transpose = false } = {}) {
  return columns(b, (B) => {
    const x = new Tensor(kernelCall("triangularSolve", [a.handle, B.handle, lower, transpose]));
    const mask = () => triangle(a.shape[a.ndim - 1], lower);
    // x = op(a)⁻¹·b: db = op(a)⁻ᵀ·g; d op(a) = −db·xᵀ, kept on a's triangle
    const db = (/** @type {T} */ g) => solveTriangular(a, g, { lower, transpose: !transpose });
    return record(
      x,
      [a, B],
      [
        (g) => {
          const dOp = db(g).matmul(mT(x)).neg();
          return sumTo((transpose ? mT(dOp) : dOp).mul(mask()), a.shape);
        },
        (g) => sumTo(db(g), B.shape),
      ],
    );
  });
}
