import { check, expectClose, expectShape } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";

const y = tensor([[1], [2], [3], [6]]);
const pred = tensor([[2], [2], [2], [5]]);

check("mse of a small example", () => {
  const got = attempt.mse(pred, y);
  if (typeof got !== "number") throw new Error(`mse should return a number (use .item()), got ${typeof got}`);
  if (Math.abs(got - 3) < 1e-6) throw new Error("got 3, the sum: divide by m");
  expectClose(got, 0.75);
});

check("r2 of a small example", () => {
  // residual 3, total (1-3)^2 + (2-3)^2 + 0 + (6-3)^2 = 14
  const got = attempt.r2(pred, y);
  if (Math.abs(got - 3 / 14) < 1e-6) throw new Error("got residual / total: R² is 1 minus that");
  expectClose(got, 1 - 3 / 14, { rtol: 1e-5 });
});

check("r2 is 0 for always predicting the mean, and 1 for a perfect fit", () => {
  expectClose(attempt.r2(tensor([[3], [3], [3], [3]]), y), 0, { atol: 1e-6 });
  expectClose(attempt.r2(y, y), 1, { atol: 1e-6 });
});

check("scaleLike uses the given statistics", () => {
  const X = tensor([
    [1, 10],
    [3, 30],
  ]);
  const got = attempt.scaleLike(X, { mean: tensor([1, 20]), std: tensor([2, 5]) });
  expectShape(got, [2, 2]);
  expectClose(got.toArray(), [
    [0, -2],
    [1, 2],
  ]);
});
