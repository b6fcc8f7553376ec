import { plot, metrics } from "scratch";
import { noisySine, cholesky, solveLower, solveUpper, grid } from "pack/data";

// ---- given: the previous tasks ----
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

// log N(y; 0, K + noise^2 I), computed with the Cholesky factor.
export function logMarginal(X, y, hyp, noise) {
  return 0; // TODO
}

// Grid search over ells x noises (sf = 1): { ell, noise, ll } with the largest logMarginal.
export function fitHyper(X, y, ells, noises) {
  return { ell: ells[0], noise: noises[0], ll: 0 }; // TODO
}

// ---- try it ---------------------------------------------------------------------------------------
const { x, y } = noisySine();
const ells = Array.from({ length: 30 }, (_, i) => 0.1 * (i + 1));
const noises = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5];
plot.line(
  ells.map((ell) => logMarginal(x, y, { ell, sf: 1 }, 0.2)),
  { x: ells, title: "log p(y) against ell (noise 0.2)", xLabel: "ell" },
);
metrics.log("log p(y) at ell = 1, noise = 0.2", logMarginal(x, y, { ell: 1, sf: 1 }, 0.2));
export const best = fitHyper(x, y, ells, noises);
console.log(`best ell = ${best.ell.toFixed(2)}, noise = ${best.noise}, log p(y) = ${best.ll.toFixed(2)}`);
const post = posterior(x, y, grid, { ell: best.ell, sf: 1 }, best.noise);
plot.line(post.mean, { x: grid, title: "posterior mean with fitted hyper-parameters" });
