// A 1,000-step training loop must not leak: live tensors stay constant, and none remain once the
// model and optimiser are disposed.
import { seed, tidy, memory, nn, optim, data } from "scratch";

seed(2);
const start = memory().tensors; // 0 in a fresh run
const { x, y } = data.moons({ n: 64, seed: 2 });
const model = new nn.Sequential(new nn.Linear(2, 16), new nn.Tanh(), new nn.Linear(16, 2));
const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
/** Live tensors after 10 and after 1,000 steps (must be equal). */
export let after10 = 0;
for (let step = 0; step < 1000; step++) {
  tidy(() => {
    opt.zeroGrad();
    nn.crossEntropy(model.forward(x), y).backward();
    opt.step();
  });
  if (step === 10) after10 = memory().tensors;
}
export const after1000 = memory().tensors;
opt.zeroGrad();
opt.dispose();
model.dispose();
x.dispose();
y.dispose();
/** Tensors still alive after disposing everything (must be 0). */
export const leftAlive = memory().tensors - start;
