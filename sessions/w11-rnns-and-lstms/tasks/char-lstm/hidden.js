import { check, CheckFailure } from "scratch/check";
import { zeros, tidy } from "scratch";
import * as attempt from "attempt";

check("padding positions add nothing to the loss", () => {
  // ["ab", "a"] pads the shorter name; with uniform predictions every REAL target costs log 27, so the mean must stay log 27.
  const [one, two] = tidy(() => {
    const p = attempt.initModel(27, 6);
    p.Why = zeros(p.Why.shape);
    p.by = zeros(p.by.shape);
    return [
      attempt.sequenceLoss(attempt.makeBatch(["ab"]), p).item(),
      attempt.sequenceLoss(attempt.makeBatch(["ab", "a"]), p).item(),
    ];
  });
  if (!(Math.abs(one - Math.log(27)) < 1e-4 && Math.abs(two - Math.log(27)) < 1e-4))
    throw new CheckFailure(
      `with uniform predictions every real position costs log 27, padded batch or not; got ${one} and ${two}. Divide by batch.count, the number of real targets.`,
    );
});
