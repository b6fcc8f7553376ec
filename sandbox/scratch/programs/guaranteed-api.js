// The guaranteed core API (docs/scratch.md, "The guaranteed core API"), used verbatim.
import { tensor, zeros, ones, randn, rand, arange, noGrad, seed, nn, optim, data, plot } from "scratch";
import { expect, expectClose, expectShape } from "scratch/check";

// Each block throws a CheckFailure if the API misbehaves; `completed` lists the blocks that ran.
/** Names of the blocks that completed. */
export const completed = [];
const check = (name, fn) => {
  fn();
  completed.push(name);
};

seed(0);
const x = tensor([
  [1, 2],
  [3, 4],
]);
const y = tensor([
  [5, 6],
  [7, 8],
]);
check("tensor and shape", () => {
  expect(JSON.stringify(x.shape) === "[2,2]", `shape ${x.shape}`);
  expectClose(tensor([1, 2, 3, 4], [2, 2]), x);
  expectClose(tensor(3), 3);
  expectClose(zeros([2]), [0, 0]);
  expectClose(ones([1, 2]), [[1, 1]]);
  expectClose(arange(4), [0, 1, 2, 3]);
  expectShape(rand([3, 2]), [3, 2]);
});
check("elementwise with broadcasting and numbers", () => {
  expectClose(x.add(y), [
    [6, 8],
    [10, 12],
  ]);
  expectClose(x.sub(1), [
    [0, 1],
    [2, 3],
  ]);
  expectClose(x.mul(tensor([10, 100])), [
    [10, 200],
    [30, 400],
  ]);
  expectClose(x.div(2), [
    [0.5, 1],
    [1.5, 2],
  ]);
  expectClose(x.pow(2), [
    [1, 4],
    [9, 16],
  ]);
  expectClose(x.neg(), [
    [-1, -2],
    [-3, -4],
  ]);
  expectClose(x.exp().log(), x, { rtol: 1e-5 });
  expectClose(x.sqrt().pow(2), x, { rtol: 1e-5 });
  expectClose(x.neg().abs(), x);
  expectClose(tensor([0]).tanh(), [0]);
  expectClose(tensor([0]).sigmoid(), [0.5]);
  expectClose(tensor([-1, 2]).relu(), [0, 2]);
});
check("matmul, transpose, reshape, reductions", () => {
  expectClose(x.matmul(y), [
    [19, 22],
    [43, 50],
  ]);
  expectClose(x.transpose(), [
    [1, 3],
    [2, 4],
  ]);
  expectClose(x.reshape([4]), [1, 2, 3, 4]);
  expectClose(x.sum(), 10);
  expectClose(x.sum(0), [4, 6]);
  expectClose(x.mean(1), [1.5, 3.5]);
  expectClose(x.max(1), [2, 4]);
  expectClose(x.argmax(1), [1, 1]);
  expectClose(x.softmax(1).sum(1), [1, 1], { rtol: 1e-5 });
  expectClose(x.logSoftmax(1).exp(), x.softmax(1), { rtol: 1e-5 });
  expect(x.sum().item() === 10, "item");
  expect(JSON.stringify(x.toArray()) === "[[1,2],[3,4]]", "toArray");
});
check("autograd", () => {
  const w = randn([2, 1]).requiresGrad();
  const loss = x.matmul(w).pow(2).sum();
  loss.backward();
  expectShape(w.grad, [2, 1]);
  // d/dw Σ (xw)² = 2 xᵀ x w
  expectClose(w.grad, x.transpose().matmul(x.matmul(w)).mul(2), { rtol: 1e-4 });
  const lr = 0.1;
  const updated = noGrad(() => w.sub(w.grad.mul(lr)));
  expect(!updated.tracksGrad, "noGrad results do not track gradients");
});
check("nn, optim, data, plot", () => {
  const model = new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Linear(16, 3));
  const { x: X, y: Y } = data.spirals({ n: 100, classes: 3, seed: 0 });
  expectShape(X, [300, 2]);
  expectShape(model.forward(X), [300, 3]);
  expect(model.parameters().length === 4, "4 parameters");
  const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
  const before = nn.crossEntropy(model.forward(X), Y).item();
  for (let i = 0; i < 20; i++) {
    opt.zeroGrad();
    nn.crossEntropy(model.forward(X), Y).backward();
    opt.step();
  }
  const after = nn.crossEntropy(model.forward(X), Y).item();
  expect(after < before, `loss ${before} → ${after}`);
  expectClose(nn.mseLoss(tensor([1, 2]), tensor([1, 4])), 2);
  const adam = new optim.Adam(model.parameters());
  adam.zeroGrad();
  adam.step();
  plot.line([3, 2, 1], { title: "loss" });
});
