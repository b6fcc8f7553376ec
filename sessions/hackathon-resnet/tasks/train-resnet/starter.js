import { randint, seed, tidy, nn, optim, data, plot, metrics } from "scratch";

// Given (the previous task).
export class ResidualBlock extends nn.Module {
  constructor(channels) {
    super();
    this.conv1 = new nn.Conv2d(channels, channels, 3, { padding: 1 });
    this.conv2 = new nn.Conv2d(channels, channels, 3, { padding: 1 });
  }

  forward(x) {
    return x.add(this.conv2.forward(this.conv1.forward(x).relu())).relu();
  }
}

export class ResNet extends nn.Module {
  constructor(channels = 8) {
    super();
    // TODO: a stem convolution, residual blocks, and a linear head
    this.head = new nn.Linear(784, 10);
  }

  forward(x) {
    // TODO: [B, 784] → [B, 1, 28, 28] → (average-pool to 14 × 14) → stem → blocks with pooling → flatten → head
    return this.head.forward(x);
  }
}

// Minibatch Adam on the cross-entropy; returns the losses.
export function train(model, x, y, { steps = 120, batchSize = 64, lr = 0.01 } = {}) {
  const opt = new optim.Adam(model.parameters(), { lr });
  const losses = [];
  // TODO: the training loop (use tidy for each step, metrics.log("loss", loss, step))
  return losses;
}

seed(100);
export const model = new ResNet();
metrics.log(
  "parameters",
  model.parameters().reduce((n, p) => n + p.size, 0),
);
// 4,000 digits: the first 3,000 train, the last 1,000 are the held-out leaderboard split (the check uses them).
const { x, y } = data.mnist({ n: 4000, seed: 2024 });
const xTrain = x.slice([0, 0], [3000, 784]).keep();
const yTrain = y.slice([0], [3000]).keep();
const losses = train(model, xTrain, yTrain, { steps: 120, batchSize: 64, lr: 0.01 });
plot.line(losses, { id: "loss", title: "training loss", xLabel: "step" });
console.log(
  `${model.parameters().reduce((n, p) => n + p.size, 0)} parameters; final loss ${losses[losses.length - 1]?.toFixed(3)}`,
);
