import { tensor } from "scratch";

export function normalise(X) {
  // TODO: column means, column standard deviations, and the standardised table
  const mean = X.mean(1);
  const std = X.mean(1);
  return { Z: X, mean, std };
}

const X = tensor([
  [1, 200, 0.5],
  [2, 400, 0.4],
  [3, 300, 0.6],
  [6, 100, 0.5],
]);
const { Z, mean, std } = normalise(X);
console.log("mean", mean.toArray(), "std", std.toArray());
console.log("Z", Z.toArray());
