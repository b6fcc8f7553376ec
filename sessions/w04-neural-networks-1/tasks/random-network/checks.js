import { check, expectClose, expectShape } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";

check("initLayer(3, 5) has W of shape [3, 5] and zero b of shape [5]", () => {
  const { W, b } = attempt.initLayer(3, 5);
  if (W.shape[0] === 5 && W.shape[1] === 3)
    throw new Error("W has shape [5, 3]: it is [nIn, nOut] so that X.matmul(W) works");
  expectShape(W, [3, 5]);
  expectShape(b, [5]);
  expectClose(b.toArray(), [0, 0, 0, 0, 0]);
});

check("initLayer scales the weights to standard deviation sqrt(2 / nIn)", () => {
  const { W } = attempt.initLayer(200, 100);
  const std = W.pow(2).mean().sqrt().item();
  if (Math.abs(std - 1) < 0.05)
    throw new Error(`std ${std.toFixed(3)} is about 1: multiply randn by Math.sqrt(2 / nIn)`);
  if (Math.abs(std - 0.01) < 0.002)
    throw new Error(`std ${std.toFixed(4)}: use the square root of 2 / nIn, not 2 / nIn`);
  expectClose(std, Math.sqrt(2 / 200), { rtol: 0.05 });
});

check("initNetwork([2, 16, 16, 1]) makes three layers of the right shapes", () => {
  const layers = attempt.initNetwork([2, 16, 16, 1]);
  if (layers.length !== 3) throw new Error(`expected 3 layers, got ${layers.length}`);
  expectShape(layers[0].W, [2, 16]);
  expectShape(layers[1].W, [16, 16]);
  expectShape(layers[2].W, [16, 1]);
});

check("forward: ReLU on the hidden layer, linear output", () => {
  const layers = [
    { W: tensor([[1, -1]]), b: tensor([0, 0.5]) },
    { W: tensor([[2], [3]]), b: tensor([-1]) },
  ];
  const got = attempt.forward(tensor([[1], [-2]]), layers);
  // hidden: relu([1, -0.5]) = [1, 0] and relu([-2, 2.5]) = [0, 2.5]; output 2h1 + 3h2 - 1
  expectShape(got, [2, 1]);
  const values = got.toArray();
  if (Math.abs(values[0][0] - -0.5) < 1e-6)
    throw new Error("the hidden layer looks linear: apply .relu() after every layer but the last");
  expectClose(values, [[1], [6.5]]);
});
