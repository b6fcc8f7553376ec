import { plot, metrics } from "scratch";
import { rng, normal, mixture, sampleData, betaMin, betaMax } from "pack/mixture";

// ---- given: the previous tasks ----
export function alphaBar(t) {
  return Math.exp(-betaMin * t - 0.5 * (betaMax - betaMin) * t * t);
}

export function noisy(x0, t, eps) {
  const a = alphaBar(t);
  return x0.map((xi, i) => Math.sqrt(a) * xi + Math.sqrt(1 - a) * eps[i]);
}

/** Per component: log(pi_k N(x; sqrt(abar) mu_k, v I)) and the component mean, for a 2-D point x. */
function components(x, t) {
  const a = alphaBar(t);
  const v = a * mixture.sd ** 2 + 1 - a;
  return mixture.means.map((mu, k) => {
    const m = mu.map((mi) => Math.sqrt(a) * mi);
    const d2 = (x[0] - m[0]) ** 2 + (x[1] - m[1]) ** 2;
    return { m, v, logp: Math.log(mixture.weights[k]) - d2 / (2 * v) - Math.log(2 * Math.PI * v) };
  });
}

export function logDensity(x, t) {
  const cs = components(x, t);
  const max = Math.max(...cs.map((c) => c.logp));
  return max + Math.log(cs.reduce((s, c) => s + Math.exp(c.logp - max), 0));
}

export function score(x, t) {
  const cs = components(x, t);
  const max = Math.max(...cs.map((c) => c.logp));
  const w = cs.map((c) => Math.exp(c.logp - max));
  const total = w.reduce((a, b) => a + b, 0);
  return [0, 1].map((i) => cs.reduce((s, c, k) => s + (w[k] / total) * ((c.m[i] - x[i]) / c.v), 0));
}

// Euler-Maruyama for the reverse SDE from t = 1 to tEnd. scoreFn(xs, t) returns the scores of all xs.
export function reverseSDE(n, steps, scoreFn, u, { tEnd = 1e-3 } = {}) {
  const xs = Array.from({ length: n }, () => [normal(u), normal(u)]);
  // TODO
  return xs;
}

// ---- try it ---------------------------------------------------------------------------------------
const exactScore = (xs, t) => xs.map((x) => score(x, t));
metrics.log("log p_t at (0, 0), t = 0.5", logDensity([0, 0], 0.5));
console.log("score at (0, 0), t = 0.5:", JSON.stringify(score([0, 0], 0.5)));
export const samples = reverseSDE(500, 200, exactScore, rng(4));
const data = sampleData(500, rng(5));
const points = [...data, ...samples];
plot.scatter(
  points.map((p) => p[0]),
  points.map((p) => p[1]),
  { labels: points.map((_, i) => (i < data.length ? 0 : 1)), title: "data (0) and reverse-SDE samples (1)" },
);
console.log("first samples:", JSON.stringify(samples.slice(0, 3).map((p) => p.map((v) => +v.toFixed(2)))));
