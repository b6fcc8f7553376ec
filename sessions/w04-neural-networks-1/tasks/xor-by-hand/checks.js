import { check, expect, expectClose, expectShape } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";

const inputs = tensor([
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
]);

check("the weights have the right shapes", () => {
  const { W1, b1, W2, b2 } = attempt.weights;
  expectShape(tensor(W1), [2, 2]);
  expectShape(tensor(b1), [2]);
  expectShape(tensor(W2), [2, 1]);
  expectShape(tensor(b2), [1]);
});

check("the network computes XOR on the four corners", () => {
  const out = attempt.forward(inputs, attempt.weights);
  const values = out.toArray().map((r) => r[0]);
  expect(
    !(Math.abs(values[3] - 2) < 1e-6 && Math.abs(values[1] - 1) < 1e-6),
    "(1, 1) gives 2: that is OR-plus-AND, a sum of the inputs",
    "a second hidden unit that fires only when both inputs are 1 can cancel it",
  );
  expectClose(out, [[0], [1], [1], [0]], { atol: 1e-5 });
});
