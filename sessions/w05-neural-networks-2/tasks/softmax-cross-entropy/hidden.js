import { check, expectClose } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";

check("softmax ignores a constant added to a row", () => {
  const a = attempt.softmax(tensor([[1, 2, 3, 4]])).toArray();
  const b = attempt.softmax(tensor([[101, 102, 103, 104]])).toArray();
  expectClose(b, a, { rtol: 1e-5 });
});

check("cross-entropy only counts the correct class", () => {
  const P = tensor([
    [0.7, 0.2, 0.1],
    [0.1, 0.1, 0.8],
    [0.3, 0.4, 0.3],
  ]);
  const Y = attempt.oneHot([0, 2, 1], 3);
  expectClose(attempt.crossEntropy(P, Y), -(Math.log(0.7) + Math.log(0.8) + Math.log(0.4)) / 3, {
    rtol: 1e-5,
  });
});

check("sigmoid saturates without NaN", () => {
  expectClose(attempt.sigmoid(tensor([[-80, 80]])), [[0, 1]], { atol: 1e-6 });
});
