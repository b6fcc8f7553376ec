import { check, CheckFailure } from "scratch/check";
import { randn, tidy, noGrad } from "scratch";
import * as attempt from "attempt";

check("an image's logits do not depend on the rest of its batch", () => {
  // Batch statistics (or anything mixing examples) would make the leaderboard depend on the batch size.
  const d = tidy(() =>
    noGrad(() => {
      const x = randn([4, 784]).abs();
      const together = attempt.model.forward(x).slice([0, 0], [1, 10]);
      const alone = attempt.model.forward(x.slice([0, 0], [1, 784]));
      return together.sub(alone).abs().max().item();
    }),
  );
  if (!(d < 1e-4))
    throw new CheckFailure(
      `the first image's logits change by ${d} when it is evaluated alone: examples must not influence each other`,
    );
});
