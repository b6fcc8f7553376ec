import { plot, metrics } from "scratch";
import { noisySine, grid } from "pack/data";

// ---- given: the previous task ----
export function rbf(a, b, { ell, sf }) {
  return sf * sf * Math.exp(-((a - b) ** 2) / (2 * ell * ell));
}

export function kernelMatrix(xs1, xs2, hyp) {
  return xs1.map((a) => xs2.map((b) => rbf(a, b, hyp)));
}

// Posterior of f at Xs given noisy observations y at X: { mean: [m], cov: m x m }.
export function posterior(X, y, Xs, hyp, noise) {
  // TODO: K + noise^2 I, its Cholesky factor, alpha, K*, mean, V = L^-1 K*, cov = K** - V^T V
  return { mean: Xs.map(() => 0), cov: Xs.map(() => Xs.map(() => 0)) };
}

// ---- try it ---------------------------------------------------------------------------------------
const { x, y } = noisySine();
const hyp = { ell: 1, sf: 1 };
const { mean, cov } = posterior(x, y, grid, hyp, 0.2);
metrics.log("posterior mean at x = 0", mean[0]);
const sd = cov.map((row, i) => Math.sqrt(Math.max(row[i], 0)));
console.log(
  "posterior mean at pi/2:",
  posterior(x, y, [Math.PI / 2], hyp, 0.2).mean[0].toFixed(3),
  "(sin = 1)",
);
plot.line(
  {
    "posterior mean": mean,
    "mean + 2 sd": mean.map((m, i) => m + 2 * sd[i]),
    "mean - 2 sd": mean.map((m, i) => m - 2 * sd[i]),
    "sin(x)": grid.map(Math.sin),
  },
  { x: grid, title: "GP posterior with a ±2 sd band", xLabel: "x" },
);
plot.scatter(x, y, { title: "the noisy observations", xLabel: "x" });
