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

const X = [
  [0.5, -1],
  [1, 2],
  [-1.5, 0.5],
  [0, 1],
];
const Y = [
  [1, 0],
  [0, 1],
  [0, 1],
  [1, 0],
];
const p = {
  W1: [
    [0.1, -0.2, 0.3],
    [0.4, 0.1, -0.5],
  ],
  b1: [0.1, 0, -0.1],
  W2: [
    [0.2, -0.3],
    [-0.4, 0.5],
    [0.6, 0.1],
  ],
  b2: [0, 0.2],
};

check("output layer: gradients of W2 and b2", () => {
  const params = { W1: tensor(p.W1), b1: tensor(p.b1), W2: tensor(p.W2), b2: tensor(p.b2) };
  const Xt = tensor(X);
  const got = attempt.backward(Xt, tensor(Y), params, attempt.forward(Xt, params));
  const want = referenceGrads(X, Y, p);
  expectShape(got.W2, [3, 2]);
  expectClose(got.W2, want.W2, { rtol: 1e-3, atol: 1e-6, what: "gradient of W2" });
  expectShape(got.b2, [2]);
  expectClose(got.b2, want.b2, { rtol: 1e-3, atol: 1e-6, what: "gradient of b2" });
});

check("hidden layer: gradients of W1 and b1", () => {
  compare(X, Y, p);
});
