// An MLP on three interleaved spirals: the classic "first neural network" exercise.
import { seed, tidy, noGrad, nn, optim, data, plot, metrics } from "scratch";

seed(0);
const { x, y } = data.spirals({ n: 100, classes: 3, seed: 0 });
const model = new nn.Sequential(new nn.Linear(2, 64), new nn.ReLU(), new nn.Linear(64, 3));
const opt = new optim.Adam(model.parameters(), { lr: 0.02 });

const losses = [];
for (let step = 0; step < 300; step++) {
  const loss = tidy(() => {
    opt.zeroGrad();
    const l = nn.crossEntropy(model.forward(x), y);
    l.backward();
    opt.step();
    return l.item();
  });
  losses.push(loss);
  if (step % 50 === 0) metrics.log("loss", loss, step);
}
plot.line(losses, { title: "loss", id: "loss" });

/** Training accuracy, checked by the test (> 95%). */
export const accuracy = noGrad(() => tidy(() => model.forward(x).argmax(1).eq(y).mean().item()));
console.log(`spirals: train accuracy ${(accuracy * 100).toFixed(1)}%`);
