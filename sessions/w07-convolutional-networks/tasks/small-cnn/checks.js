import { check, CheckFailure } from "scratch/check";
import { randn, tidy, noGrad, data, metrics } from "scratch";
import * as attempt from "attempt";

check("SmallCNN maps [B, 784] digits to [B, 10] logits", () => {
  const shape = tidy(() => noGrad(() => new attempt.SmallCNN().forward(randn([4, 784])).shape));
  if (shape.length !== 2 || shape[0] !== 4 || shape[1] !== 10)
    throw new CheckFailure(
      `expected [4, 10], got [${shape}]. After two 2 × 2 pools a 28 × 28 image is 7 × 7: the linear layer takes 16 · 7 · 7 inputs.`,
    );
});

check("it is convolutional: 3 × 3 kernels with 8 and 16 channels", () => {
  const shapes = new attempt.SmallCNN().parameters().map((p) => p.shape.join("×"));
  for (const want of ["8×1×3×3", "16×8×3×3"])
    if (!shapes.includes(want))
      throw new CheckFailure(
        `no parameter of shape ${want} (found ${shapes.join(", ")}): use nn.Conv2d(${want.startsWith("8") ? "1, 8" : "8, 16"}, 3, { padding: 1 })`,
      );
});

check("held-out accuracy on 500 unseen digits is above 85 %", () => {
  if (!attempt.model || typeof attempt.model.forward !== "function")
    throw new CheckFailure("export const model = new SmallCNN() and train it");
  const accuracy = tidy(() =>
    noGrad(() => {
      const { x, y } = data.mnist({ n: 2000, seed: 7 });
      const xTest = x.slice([1500, 0], [500, 784]);
      const yTest = y.slice([1500], [500]);
      return attempt.model.forward(xTest).argmax(1).eq(yTest).mean().item();
    }),
  );
  metrics.log("held-out accuracy", accuracy);
  console.log(`held-out accuracy: ${(100 * accuracy).toFixed(1)} %`);
  if (!(accuracy > 0.85))
    throw new CheckFailure(
      `held-out accuracy ${(100 * accuracy).toFixed(1)} %, expected above 85 %. Is the loss going down? Did trainStep call opt.zeroGrad(), backward() and opt.step()?`,
    );
});
