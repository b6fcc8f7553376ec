import { plot, metrics } from "scratch";
import { rng, normal, altitudeData } from "pack/altimeter";

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

export function normalizeLogWeights(logw) {
  const max = Math.max(...logw);
  const w = logw.map((l) => Math.exp(l - max));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((wi) => wi / total);
}

export function importanceMean(xs, logp, logq) {
  const w = normalizeLogWeights(xs.map((x) => logp(x) - logq(x)));
  return xs.reduce((s, x, i) => s + w[i] * x, 0);
}

export function resample(particles, weights, u) {
  const cdf = [];
  weights.reduce((acc, w, i) => (cdf[i] = acc + w), 0);
  return particles.map(() => {
    const r = u() * cdf[cdf.length - 1];
    let lo = 0,
      hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return particles[lo];
  });
}

export function particleFilter(ys, N, { a, q, r, m0, P0 }, u) {
  let particles = Array.from({ length: N }, () => m0 + Math.sqrt(P0) * normal(u));
  const means = [];
  for (const y of ys) {
    particles = particles.map((x) => a * x + Math.sqrt(q) * normal(u));
    const w = normalizeLogWeights(particles.map((x) => (-0.5 * (y - x) ** 2) / r));
    means.push(particles.reduce((s, x, i) => s + w[i] * x, 0));
    particles = resample(particles, w, u);
  }
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
