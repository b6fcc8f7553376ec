// A small CNN on MNIST digits: conv → relu → pool → conv → relu → pool → linear.
import { seed, tidy, noGrad, nn, optim, data } from "scratch";

seed(0);
const { x, y } = data.mnist({ n: 6000, seed: 0 });
const images = x.reshape([-1, 1, 28, 28]);
const { xTrain, yTrain, xTest, yTest } = data.trainTestSplit(images, y, { testFraction: 0.25, seed: 0 });

const model = new nn.Sequential(
  new nn.Conv2d(1, 8, 3, { padding: 1 }),
  new nn.ReLU(),
  new nn.MaxPool2d(2),
  new nn.Conv2d(8, 16, 3, { padding: 1 }),
  new nn.ReLU(),
  new nn.MaxPool2d(2),
  new nn.Flatten(),
  new nn.Linear(16 * 7 * 7, 10),
);
const opt = new optim.Adam(model.parameters(), { lr: 0.005 });

for (let epoch = 0; epoch < 2; epoch++) {
  for (const batch of data.batches(xTrain, yTrain, { batchSize: 64, seed: epoch })) {
    tidy(() => {
      opt.zeroGrad();
      nn.crossEntropy(model.forward(batch.x), batch.y).backward();
      opt.step();
    });
  }
}

/** Test accuracy, checked by the test (> 90%). */
export const accuracy = noGrad(() => tidy(() => model.forward(xTest).argmax(1).eq(yTest).mean().item()));
console.log(`mnist: test accuracy ${(accuracy * 100).toFixed(1)}%`);
