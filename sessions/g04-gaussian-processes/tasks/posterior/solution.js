import { plot, metrics } from "scratch";

// ---- given: random numbers, the data and small dense linear algebra -----------------------------
export function rng(seed) {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const normal = (u) => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
/** 25 noisy observations of sin(x) on [0, 2 pi], noise sd 0.2. */
export function noisySine(n = 25, seed = 1) {
  const u = rng(seed);
  const x = Array.from({ length: n }, () => 2 * Math.PI * u()).sort((a, b) => a - b);
  return { x, y: x.map((xi) => Math.sin(xi) + 0.2 * normal(u)) };
}
/** Lower-triangular L with A = L L^T (A symmetric positive definite). */
export function cholesky(A) {
  const n = A.length;
  const L = A.map(() => new Array(n).fill(0));
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      L[i][j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j][j];
    }
  return L;
}
/** Solves L x = b (L lower-triangular). */
export function solveLower(L, b) {
  const x = [];
  for (let i = 0; i < L.length; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i][k] * x[k];
    x.push(s / L[i][i]);
  }
  return x;
}
/** Solves L^T x = b (L lower-triangular). */
export function solveUpper(L, b) {
  const n = L.length,
    x = new Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= L[k][i] * x[k];
    x[i] = s / L[i][i];
  }
  return x;
}
export const grid = Array.from({ length: 80 }, (_, i) => (i / 79) * 2 * Math.PI);
// ---------------------------------------------------------------------------------------------------

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
