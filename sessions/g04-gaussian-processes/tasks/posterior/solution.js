import { plot, metrics } from "scratch";
import { noisySine, cholesky, solveLower, solveUpper, grid } from "pack/data";

// ---- given: the previous task ----
export function rbf(a, b, { ell, sf }) {
  return sf * sf * Math.exp(-((a - b) ** 2) / (2 * ell * ell));
}

export function kernelMatrix(xs1, xs2, hyp) {
  return xs1.map((a) => xs2.map((b) => rbf(a, b, hyp)));
}

export function posterior(X, y, Xs, hyp, noise) {
  const K = kernelMatrix(X, X, hyp).map((row, i) => row.map((v, j) => v + (i === j ? noise * noise : 0)));
  const L = cholesky(K);
  const alpha = solveUpper(L, solveLower(L, y));
  const Ks = kernelMatrix(X, Xs, hyp); // n x m
  const mean = Xs.map((_, j) => Ks.reduce((s, row, i) => s + row[j] * alpha[i], 0));
  const V = Xs.map((_, j) =>
    solveLower(
      L,
      Ks.map((row) => row[j]),
    ),
  ); // column j of L^-1 K*
  const Kss = kernelMatrix(Xs, Xs, hyp);
  const cov = Kss.map((row, a) => row.map((v, b) => v - V[a].reduce((s, va, i) => s + va * V[b][i], 0)));
  return { mean, cov };
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
