import { check, expectClose, expectShape } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";

const X = tensor([
  [1, 0, 2],
  [0, 1, -1],
  [2, 2, 0],
  [-1, 0, 1],
]);
const W = tensor([
  [0.5, -1],
  [1, 0.5],
  [-0.5, 1],
]);
const b = tensor([0.1, -0.2]);
// XW + b
const Z = [
  [-0.4, 0.8],
  [1.6, -0.7],
  [3.1, -1.2],
  [-0.9, 1.8],
];

check("activate applies relu, sigmoid, tanh and linear", () => {
  const z = tensor([[-1, 0, 2]]);
  expectClose(attempt.activate(z, "relu").toArray(), [[0, 0, 2]]);
  expectClose(attempt.activate(z, "linear").toArray(), [[-1, 0, 2]]);
  expectClose(attempt.activate(z, "sigmoid").toArray(), [[1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-2))]], {
    rtol: 1e-5,
  });
  expectClose(attempt.activate(z, "tanh").toArray(), [[Math.tanh(-1), 0, Math.tanh(2)]], { rtol: 1e-5 });
});

check("a linear dense layer is X W + b with shape [4, 2]", () => {
  const got = attempt.dense(X, W, b, "linear");
  expectShape(got, [4, 2]);
  expectClose(got.toArray(), Z, { rtol: 1e-5, atol: 1e-6 });
});

check("a relu dense layer zeroes the negative pre-activations", () => {
  const got = attempt.dense(X, W, b, "relu");
  expectClose(
    got.toArray(),
    Z.map((row) => row.map((v) => Math.max(0, v))),
    { rtol: 1e-5, atol: 1e-6 },
  );
});
