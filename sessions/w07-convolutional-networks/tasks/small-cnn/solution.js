import { randint, seed, tidy, nn, optim, data, plot, metrics } from "scratch";

export class SmallCNN extends nn.Module {
  constructor() {
    super();
    this.conv1 = new nn.Conv2d(1, 8, 3, { padding: 1 });
    this.conv2 = new nn.Conv2d(8, 16, 3, { padding: 1 });
    this.fc = new nn.Linear(16 * 7 * 7, 10);
  }

  forward(x) {
    let h = x.reshape([-1, 1, 28, 28]);
    h = this.conv1.forward(h).relu().maxPool2d(2);
    h = this.conv2.forward(h).relu().maxPool2d(2);
    return this.fc.forward(h.flatten(1));
  }
}

// One Adam step on the cross-entropy of a batch; returns the loss as a number.
export function trainStep(model, opt, x, y) {
  opt.zeroGrad();
  const loss = nn.crossEntropy(model.forward(x), y);
  loss.backward();
  opt.step();
  return loss.item();
}

seed(7);
export const model = new SmallCNN();
metrics.log(
  "parameters",
  model.parameters().reduce((n, p) => n + p.size, 0),
);
const { x, y } = data.mnist({ n: 2000, seed: 7 });
const xTrain = x.slice([0, 0], [1500, 784]).keep();
const yTrain = y.slice([0], [1500]).keep();
const opt = new optim.Adam(model.parameters(), { lr: 0.005 });
const losses = [];
for (let step = 0; step < 120; step++) {
  const loss = tidy(() => {
    const idx = randint(0, 1500, [64]);
    return trainStep(model, opt, xTrain.gather(idx), yTrain.gather(idx));
  });
  losses.push(loss);
  metrics.log("loss", loss, step);
  if (step % 50 === 0) plot.line(losses, { id: "loss", title: "training loss", xLabel: "step" });
}
plot.line(losses, { id: "loss", title: "training loss", xLabel: "step" });

// The first layer's kernels, side by side (8 kernels of 3 × 3 with a gap).
const w = model.conv1?.weight?.toArray();
if (w) {
  const tile = Array.from({ length: 3 }, (_, r) => w.flatMap((k) => [...k[0][r], NaN]).slice(0, -1));
  plot.heatmap(
    tile.map((row) => row.map((v) => (Number.isNaN(v) ? 0 : v))),
    { title: "the 8 learned 3 × 3 kernels of conv1" },
  );
}
