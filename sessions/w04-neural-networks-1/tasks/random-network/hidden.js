import { check, expectClose } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";

check("the output layer is not passed through ReLU", () => {
  const layers = [
    { W: tensor([[1]]), b: tensor([0]) },
    { W: tensor([[-1]]), b: tensor([0]) },
  ];
  expectClose(attempt.forward(tensor([[3]]), layers).toArray(), [[-3]]);
});

check("a deep He-initialised ReLU network keeps the signal's scale", () => {
  const layers = attempt.initNetwork([64, 64, 64, 64, 64, 64]);
  let X = tensor(
    Array.from({ length: 32 }, (_, i) => Array.from({ length: 64 }, (_, j) => Math.sin(i * 64 + j))),
  );
  const inScale = X.pow(2).mean().sqrt().item();
  const outScale = attempt.forward(X, layers).pow(2).mean().sqrt().item();
  const ratio = outScale / inScale;
  if (!(ratio > 0.2 && ratio < 5))
    throw new Error(`signal scale changed by a factor ${ratio.toFixed(3)} over 5 layers`);
});
