import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

const xs = [1, 2, 3];
const ys = [2, 4, 7];

check("gradients at w = 1, b = 0", () => {
  // errors: -1, -2, -4
  const { dw, db } = attempt.gradients(xs, ys, 1, 0);
  if (dw === 17 || db === 7)
    throw new Error("the signs are flipped: the error is prediction - y, not y - prediction");
  if (dw === -17 || db === -7) throw new Error(`got dw = ${dw}, db = ${db}: divide the sums by m = 3`);
  expectClose([dw, db], [-17 / 3, -7 / 3]);
});

check("one step moves against the gradient", () => {
  const { w, b } = attempt.step(xs, ys, 1, 0, 0.1);
  if (w < 1) throw new Error(`w went down to ${w}, but the gradient is negative: subtract lr * dw`);
  expectClose([w, b], [1 + 1.7 / 3, 0.7 / 3]);
});
