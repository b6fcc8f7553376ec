import { tensor } from "scratch";

export function normalise(X) {
  const mean = X.mean(0);
  const std = X.sub(mean).pow(2).mean(0).sqrt();
  return { Z: X.sub(mean).div(std), mean, std };
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
