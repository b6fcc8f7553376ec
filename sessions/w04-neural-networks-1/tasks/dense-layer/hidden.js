import { check, expectClose, expectShape } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";

check("a layer of 3 sigmoid neurons on a batch of 2", () => {
  const X = tensor([
    [1, 2],
    [-1, 0.5],
  ]);
  const W = tensor([
    [1, 0, -1],
    [0.5, 2, 1],
  ]);
  const b = tensor([0, -1, 0.5]);
  const got = attempt.dense(X, W, b, "sigmoid");
  expectShape(got, [2, 3]);
  const s = (z) => 1 / (1 + Math.exp(-z));
  expectClose(
    got.toArray(),
    [
      [s(2), s(3), s(1.5)],
      [s(-0.75), s(0), s(2)],
    ],
    { rtol: 1e-5 },
  );
});
