import { check, expect } from "scratch/check";
import { data, tensor } from "scratch";
import * as attempt from "attempt";

check("the trained network also separates fresh points from the same spirals", () => {
  const { x, y } = data.spirals({ n: 100, classes: 3, seed: 7 });
  const acc = attempt.accuracy(attempt.forward(x, attempt.trainedParams).P, y.toArray());
  expect(acc >= 0.85, `accuracy on fresh spiral points is ${acc}, expected at least 0.85`);
});

check("step does not change the parameters it is given", () => {
  const X = tensor([[1, -1]]);
  const Y = tensor([[0, 1]]);
  const params = attempt.initParams(2, 3, 2);
  const before = params.W1.toArray();
  attempt.step(X, Y, params, 1);
  expect(
    JSON.stringify(params.W1.toArray()) === JSON.stringify(before),
    "step modified params.W1 in place: return new tensors",
  );
});
