import { check } from "scratch/check";
import * as attempt from "attempt";

check("the gradient vanishes at the closed-form MLE of a one-hot model", () => {
  const positions = [0.1, 0.15, 0.6, 0.7, 0.9, 0.95, 0.99];
  const y = [1, 3, 0, 2, 5, 1, 3];
  const X = attempt.design(positions, 2);
  const w = [Math.log(4 / 2), Math.log(11 / 5)];
  const g = attempt.gradient(w, X, y);
  if (g.some((v) => Math.abs(v) > 1e-9))
    throw new Error(`expected a zero gradient, got ${JSON.stringify(g)}`);
});
