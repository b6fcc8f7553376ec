import { check, CheckFailure } from "scratch/check";
import { randn, tidy, noGrad, data, metrics } from "scratch";
import * as attempt from "attempt";

check("ResNet maps [B, 784] to [B, 10] logits", () => {
  const shape = tidy(() => noGrad(() => new attempt.ResNet().forward(randn([3, 784])).shape));
  if (shape.join(",") !== "3,10")
    throw new CheckFailure(
      `expected [3, 10], got [${shape}]. Global average pooling (mean over axes [2, 3]) turns [B, C, H, W] into [B, C].`,
    );
});

check("it is a ResNet: convolutions inside residual blocks", () => {
  const model = new attempt.ResNet();
  const blocks = Object.values(model)
    .flat()
    .filter((v) => v instanceof attempt.ResidualBlock);
  if (blocks.length < 1)
    throw new CheckFailure(
      "no ResidualBlock among the model's fields: store the blocks as fields (this.block1 = new ResidualBlock(…)) or in an array field",
    );
});

check("leaderboard: accuracy on 1,000 held-out digits (pass: 90 %)", () => {
  if (!attempt.model || typeof attempt.model.forward !== "function")
    throw new CheckFailure("export const model = new ResNet() and train it");
  const accuracy = tidy(() =>
    noGrad(() => {
      const { x, y } = data.mnist({ n: 4000, seed: 2024 });
      let correct = 0;
      for (let start = 3000; start < 4000; start += 250) {
        const logits = attempt.model.forward(x.slice([start, 0], [250, 784]));
        correct += logits
          .argmax(1)
          .eq(y.slice([start], [250]))
          .sum()
          .item();
      }
      return correct / 1000;
    }),
  );
  metrics.log("leaderboard", accuracy);
  console.log(`leaderboard: held-out accuracy ${(100 * accuracy).toFixed(1)} %`);
  if (!(accuracy >= 0.9))
    throw new CheckFailure(
      `held-out accuracy ${(100 * accuracy).toFixed(1)} %, the bar is 90 %. Is the training loss still falling? Try more steps, a larger learning rate, or wider blocks — within the minute.`,
    );
});
