import { plot } from "scratch";
import { mixture, betaMin, betaMax } from "pack/mixture";

// ---- given: the first task ----
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

// ---- try it ---------------------------------------------------------------------------------------
for (const t of [0.05, 0.5]) {
  // Each arrow is a short segment from a grid point along the (scaled) score.
  const xs = [],
    ys = [],
    labels = [];
  for (let i = 0; i < 15; i++)
    for (let j = 0; j < 15; j++) {
      const p = [-4 + (8 * j) / 14, -4 + (8 * i) / 14];
      const s = score(p, t);
      const n = Math.hypot(s[0], s[1]) || 1;
      for (let k = 0; k <= 4; k++) {
        xs.push(p[0] + (0.1 * k * s[0]) / n);
        ys.push(p[1] + (0.1 * k * s[1]) / n);
        labels.push(k === 4 ? 1 : 0);
      }
    }
  plot.scatter(xs, ys, { labels, title: `score directions at t = ${t} (heads coloured)` });
}
console.log(
  "score at (0, 0), t = 0.05:",
  score([0, 0], 0.05).map((v) => v.toFixed(3)),
);
