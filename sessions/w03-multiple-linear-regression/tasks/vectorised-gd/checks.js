import { check, expectClose, expectShape } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";

const X = tensor([
  [1, 2],
  [0, 1],
  [2, 0],
]);
const y = tensor([[3], [1], [5]]);
const w = tensor([[1], [1]]);

check("predict is X w + b, shape [m, 1]", () => {
  const got = attempt.predict(X, w, 0.5);
  expectShape(got, [3, 1]);
  expectClose(got.toArray(), [[3.5], [1.5], [2.5]]);
});

check("gradients have the shape of w and the right values", () => {
  // e = [0.5, 0.5, -2.5]
  const { dw, db } = attempt.gradients(X, y, w, 0.5);
  if (dw.shape[0] === 1 && dw.shape[1] === 2)
    throw new Error("dw has shape [1, 2]: it looks transposed, use X^T e");
  expectShape(dw, [2, 1]);
  const got = dw.toArray();
  if (Math.abs(got[0][0] + 4.5) < 1e-5) throw new Error("dw is m times too large: divide X^T e by m");
  expectClose(got, [[-1.5], [0.5]]);
  if (typeof db !== "number") throw new Error(`db should be a number (use .item()), got ${typeof db}`);
  expectClose(db, -0.5);
});

check("train lowers the cost on every epoch", () => {
  const { losses, w: trained } = attempt.train(X, y, 0.05, 20);
  if (losses.length !== 20) throw new Error(`expected 20 losses, got ${losses.length}`);
  expectShape(trained, [2, 1]);
  for (let i = 1; i < losses.length; i++) {
    if (!(losses[i] < losses[i - 1]))
      throw new Error(`the cost did not fall at epoch ${i}: ${losses[i - 1]} -> ${losses[i]}`);
  }
});
