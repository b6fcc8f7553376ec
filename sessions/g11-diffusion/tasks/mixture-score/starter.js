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

// log p_t(x) of the diffused mixture, with a log-sum-exp.
export function logDensity(x, t) {
  return 0; // TODO
}

// The gradient of logDensity with respect to x: [d/dx, d/dy].
export function score(x, t) {
  return [0, 0]; // TODO
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
