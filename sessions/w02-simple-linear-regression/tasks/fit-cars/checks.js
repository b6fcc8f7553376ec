import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("zscore([2, 4, 4, 4, 5, 5, 7, 9]) has mean 5 and std 2", () => {
  const { z, mean, std } = attempt.zscore([2, 4, 4, 4, 5, 5, 7, 9]);
  if (Math.abs(std - Math.sqrt(32 / 7)) < 1e-9)
    throw new Error("std divides by n - 1: use the population std (divide by n)");
  expectClose([mean, std], [5, 2]);
  expectClose(z, [-1.5, -0.5, -0.5, -0.5, 0, 0, 1, 2]);
});

check("fit finds y = 2x + 1 on exact data", () => {
  const { w, b, costs } = attempt.fit([-1, 0, 1, 2], [-1, 1, 3, 5], 0.2, 500);
  if (costs.length !== 500) throw new Error(`expected 500 costs (one per epoch), got ${costs.length}`);
  expectClose([w, b], [2, 1], { atol: 1e-4 });
});

check("the cost never goes up with a small learning rate", () => {
  const { costs } = attempt.fit([1, 2, 3, 4, 5], [1.2, 1.9, 3.2, 3.8, 5.1], 0.01, 50);
  for (let i = 1; i < costs.length; i++) {
    if (costs[i] > costs[i - 1] + 1e-12)
      throw new Error(`the cost rose at epoch ${i}: ${costs[i - 1]} -> ${costs[i]}`);
  }
});

check("a 100 hp car does about 24 mpg", () => {
  expectClose(attempt.predictMpg(100), 24.15, { atol: 0.05 });
});
