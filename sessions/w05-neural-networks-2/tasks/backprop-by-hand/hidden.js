import { check, expect, expectClose, expectShape } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";

/** The same network in plain float64 JavaScript: the reference gradients. */
function referenceGrads(X, Y, p) {
  const matmul = (A, B) => A.map((row) => B[0].map((_, j) => row.reduce((s, v, k) => s + v * B[k][j], 0)));
  const T = (A) => A[0].map((_, j) => A.map((row) => row[j]));
  const m = X.length;
  const A1 = matmul(X, p.W1).map((row) => row.map((v, j) => 1 / (1 + Math.exp(-(v + p.b1[j])))));
  const Z2 = matmul(A1, p.W2).map((row) => row.map((v, j) => v + p.b2[j]));
  const P = Z2.map((row) => {
    const top = Math.max(...row);
    const e = row.map((v) => Math.exp(v - top));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
  const dZ2 = P.map((row, i) => row.map((v, j) => (v - Y[i][j]) / m));
  const dA1 = matmul(dZ2, T(p.W2));
  const dZ1 = dA1.map((row, i) => row.map((v, j) => v * A1[i][j] * (1 - A1[i][j])));
  const colSum = (A) => A[0].map((_, j) => A.reduce((s, row) => s + row[j], 0));
  return { W1: matmul(T(X), dZ1), b1: colSum(dZ1), W2: matmul(T(A1), dZ2), b2: colSum(dZ2) };
}

function compare(X, Y, p) {
  const params = { W1: tensor(p.W1), b1: tensor(p.b1), W2: tensor(p.W2), b2: tensor(p.b2) };
  const Xt = tensor(X);
  const got = attempt.backward(Xt, tensor(Y), params, attempt.forward(Xt, params));
  const want = referenceGrads(X, Y, p);
  for (const name of ["W2", "b2", "W1", "b1"]) {
    expect(got[name] !== undefined, `backward returned no "${name}"`);
    expectShape(got[name], params[name].shape);
    expectClose(got[name], want[name], { rtol: 1e-3, atol: 1e-6, what: `gradient of ${name}` });
  }
}

check("a wider network on a bigger batch", () => {
  const rows = 7;
  const X = Array.from({ length: rows }, (_, i) => [Math.sin(i), Math.cos(2 * i), (i % 3) - 1]);
  const Y = Array.from({ length: rows }, (_, i) => [0, 1, 2, 3].map((k) => (k === i % 4 ? 1 : 0)));
  const grid = (r, c, f) => Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => f(i, j)));
  compare(X, Y, {
    W1: grid(3, 5, (i, j) => Math.sin(3 * i + j) / 2),
    b1: [0.1, -0.2, 0, 0.3, -0.1],
    W2: grid(5, 4, (i, j) => Math.cos(i - 2 * j) / 2),
    b2: [0.05, 0, -0.05, 0.1],
  });
});
