import { check, expect, expectClose, expectShape } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";

const X = tensor([
  [1, 0],
  [0, 1],
  [1, 1],
]);
const W = tensor([
  [1, -1, 0],
  [0, 2, 1],
]);
const b = tensor([0, 0, 0.5]);
const Y = tensor([
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
]);
const softmaxRow = (z) => {
  const e = z.map((v) => Math.exp(v - Math.max(...z)));
  const s = e.reduce((a, v) => a + v, 0);
  return e.map((v) => v / s);
};
const P = [softmaxRow([1, -1, 0.5]), softmaxRow([0, 2, 1.5]), softmaxRow([1, 1, 1.5])];

check("probabilities is the row softmax of XW + b", () => {
  const got = attempt.probabilities(X, W, b);
  expectShape(got, [3, 3]);
  expectClose(got, P, { rtol: 1e-4 });
});

check("gradients are X^T (P - Y) / m and the mean of P - Y", () => {
  const { dW, db } = attempt.gradients(X, Y, W, b);
  const E = P.map((row, i) => row.map((v, j) => v - [1, 0, 0, 0, 1, 0, 0, 0, 1][3 * i + j]));
  const x = [
    [1, 0],
    [0, 1],
    [1, 1],
  ];
  const want = [0, 1].map((r) =>
    [0, 1, 2].map((c) => (x[0][r] * E[0][c] + x[1][r] * E[1][c] + x[2][r] * E[2][c]) / 3),
  );
  expectShape(dW, [2, 3]);
  expectClose(dW, want, { rtol: 1e-4, atol: 1e-6, what: "dW" });
  expectClose(
    db,
    [0, 1, 2].map((c) => (E[0][c] + E[1][c] + E[2][c]) / 3),
    { rtol: 1e-4, atol: 1e-6, what: "db" },
  );
});

check("predict returns the most probable class of each row", () => {
  const got = attempt.predict(X, W, b);
  expect(Array.isArray(got), "predict should return a plain array (use .toArray())");
  expectClose(got, [0, 1, 2]);
});

check("at least 90% of the test flowers are classified correctly", () => {
  expect(attempt.testAccuracy >= 0.9, `test accuracy ${attempt.testAccuracy}`, {
    values: [attempt.trained?.W, attempt.trained?.b].filter((t) => t !== undefined),
    nonFinite:
      "W or b holds NaN or Infinity: training diverged (learning rate too large, or a log of 0 in the loss?)",
    otherwise: "does train update both W and b, with a minus sign?",
  });
});
