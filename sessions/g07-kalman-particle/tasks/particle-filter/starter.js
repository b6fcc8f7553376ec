import { plot, metrics } from "scratch";
import { rng, altitudeData } from "pack/altimeter";

// ---- given: the first task ----
export function predict1d(m, P, a, q) {
  return { m: a * m, P: a * a * P + q };
}

export function update1d(m, P, y, r) {
  const K = P / (P + r);
  return { m: m + K * (y - m), P: (1 - K) * P };
}

export function kalman1d(ys, { a, q, r, m0, P0 }) {
  let m = m0,
    P = P0;
  const means = [],
    vars = [];
  for (const y of ys) {
    ({ m, P } = predict1d(m, P, a, q));
    ({ m, P } = update1d(m, P, y, r));
    means.push(m);
    vars.push(P);
  }
  return { means, vars };
}

// exp(logw) normalised to sum to 1, without overflow.
export function normalizeLogWeights(logw) {
  return logw.map(() => 1 / logw.length); // TODO
}

// Self-normalised importance sampling estimate of E_p[x] from samples xs drawn from q.
export function importanceMean(xs, logp, logq) {
  return 0; // TODO
}

// N = particles.length draws with replacement, with probabilities weights.
export function resample(particles, weights, u) {
  return particles.slice(); // TODO
}

// Bootstrap particle filter for x_t = a x_{t-1} + N(0, q), y_t = x_t + N(0, r). Returns filtered means.
export function particleFilter(ys, N, { a, q, r, m0, P0 }, u) {
  const means = [];
  // TODO
  return means;
}

// ---- try it ---------------------------------------------------------------------------------------
const model = { a: 1, q: 0.5, r: 4, m0: 100, P0: 10 };
const { xs, ys } = altitudeData(60, model, 3);
const exact = kalman1d(ys, model).means;
const u = rng(5);
const series = { "true altitude": xs, "Kalman mean (exact)": exact };
for (const N of [10, 100, 1000]) {
  const pf = particleFilter(ys, N, model, u);
  const gap = Math.sqrt(pf.reduce((s, m, t) => s + (m - exact[t]) ** 2, 0) / pf.length);
  metrics.log(`RMS gap to the Kalman mean, N = ${N}`, gap);
  console.log(`N = ${N}: RMS gap to the Kalman mean ${gap.toFixed(3)}`);
  if (pf.length === ys.length) series[`particle filter, N = ${N}`] = pf;
}
plot.line(series, { title: "bootstrap particle filter against the exact Kalman filter", xLabel: "t" });
