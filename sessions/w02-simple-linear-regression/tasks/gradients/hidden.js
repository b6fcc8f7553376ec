import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("gradients match finite differences of the cost", () => {
  const xs = [-1.5, 0, 2, 3.5, 5];
  const ys = [0.2, 1, 2.9, 5, 6.1];
  const [w, b, h] = [0.3, -0.7, 1e-6];
  const dw = (attempt.cost(xs, ys, w + h, b) - attempt.cost(xs, ys, w - h, b)) / (2 * h);
  const db = (attempt.cost(xs, ys, w, b + h) - attempt.cost(xs, ys, w, b - h)) / (2 * h);
  const got = attempt.gradients(xs, ys, w, b);
  expectClose([got.dw, got.db], [dw, db], { rtol: 1e-5, atol: 1e-6 });
});

check("at the best line the gradients are zero", () => {
  const got = attempt.gradients([0, 1, 2], [1, 3, 5], 2, 1);
  expectClose([got.dw, got.db], [0, 0]);
});
