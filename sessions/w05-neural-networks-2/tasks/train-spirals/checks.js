import { check, expect, expectClose, expectShape } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";

check("initParams shapes and scale", () => {
  const p = attempt.initParams(50, 40, 3);
  expectShape(p.W1, [50, 40]);
  expectShape(p.b1, [40]);
  expectShape(p.W2, [40, 3]);
  expectShape(p.b2, [3]);
  const std = p.W1.pow(2).mean().sqrt().item();
  expect(std > 0, "W1 is all zeros", "all-zero weights make every hidden unit identical: use randn");
  expectClose(std, Math.sqrt(1 / 50), { rtol: 0.1, what: "standard deviation of W1" });
  expectClose(p.b1, new Array(40).fill(0), { what: "b1" });
});

check("accuracy counts the most probable class", () => {
  const P = tensor([
    [0.7, 0.2, 0.1],
    [0.1, 0.3, 0.6],
    [0.2, 0.5, 0.3],
    [0.4, 0.4, 0.2],
  ]);
  expectClose(attempt.accuracy(P, [0, 2, 0, 0]), 0.75);
});

check("one step moves every parameter against its gradient", () => {
  const X = tensor([
    [0.5, -1],
    [1, 2],
  ]);
  const Y = tensor([
    [1, 0],
    [0, 1],
  ]);
  const params = {
    W1: tensor([
      [0.1, -0.2],
      [0.4, 0.1],
    ]),
    b1: tensor([0.1, 0]),
    W2: tensor([
      [0.2, -0.3],
      [-0.4, 0.5],
    ]),
    b2: tensor([0, 0.2]),
  };
  const grads = attempt.backward(X, Y, params, attempt.forward(X, params));
  const next = attempt.step(X, Y, params, 0.5);
  for (const k of ["W1", "b1", "W2", "b2"]) {
    expectClose(next[k], params[k].sub(grads[k].mul(0.5)), { rtol: 1e-4, atol: 1e-6, what: k });
  }
});

check("the network reaches 90% training accuracy on the spirals", () => {
  expect(attempt.finalAccuracy >= 0.9, `training accuracy ${attempt.finalAccuracy}`, {
    values: Object.values(attempt.trainedParams ?? {}),
    nonFinite:
      "the trained parameters hold NaN or Infinity: training diverged (learning rate too large, or a log of 0 in the loss?)",
    otherwise: "is step updating all four parameters, with a minus sign?",
  });
});
