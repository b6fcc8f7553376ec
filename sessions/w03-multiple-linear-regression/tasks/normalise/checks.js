import { check, expectClose, expectShape } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";

const X = tensor([
  [1, 10],
  [3, 10],
  [5, 40],
  [7, 20],
]);

check("mean is one value per column", () => {
  const { mean } = attempt.normalise(X);
  if (mean.shape[0] === 4) throw new Error("got 4 means, one per row: take the mean over axis 0");
  expectShape(mean, [2]);
  expectClose(mean.toArray(), [4, 20]);
});

check("std is the population standard deviation of each column", () => {
  const { std } = attempt.normalise(X);
  expectShape(std, [2]);
  const got = std.toArray();
  if (Math.abs(got[0] - Math.sqrt(20 / 3)) < 1e-4) throw new Error("std divides by m - 1: divide by m");
  if (Math.abs(got[0] - 5) < 1e-4) throw new Error("got the variance: take its square root");
  expectClose(got, [Math.sqrt(5), Math.sqrt(150)], { rtol: 1e-5 });
});

check("Z has column means 0 and column stds 1", () => {
  const { Z } = attempt.normalise(X);
  expectShape(Z, [4, 2]);
  expectClose(Z.mean(0).toArray(), [0, 0], { atol: 1e-5 });
  expectClose(Z.pow(2).mean(0).toArray(), [1, 1], { rtol: 1e-4 });
});
