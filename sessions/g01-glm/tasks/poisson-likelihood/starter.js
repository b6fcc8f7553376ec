import { plot, metrics } from "scratch";
import { trueRate, placeCell } from "pack/place-cell";

// One-hot design matrix: row t has a 1 in column floor(K * p_t).
export function design(positions, K) {
  // TODO
  return positions.map(() => new Array(K).fill(0));
}

// Poisson log-likelihood of counts y under log-rates X w (include the log y! term).
export function logLik(w, X, y) {
  // TODO
  return 0;
}

// Gradient of logLik with respect to w: X^T (y - exp(X w)).
export function gradient(w, X, y) {
  // TODO
  return new Array(w.length).fill(0);
}

// ---- try it ---------------------------------------------------------------------------------
const K = 20;
const { positions, counts } = placeCell(1000, 7);
const X = design(positions, K);
const n = new Array(K).fill(0),
  s = new Array(K).fill(0);
X.forEach((row, t) =>
  row.forEach((x, k) => {
    n[k] += x;
    s[k] += x * counts[t];
  }),
);
const wHat = s.map((sk, k) => Math.log(Math.max(sk, 0.5) / Math.max(n[k], 1)));
metrics.log("log-likelihood at w = 0", logLik(new Array(K).fill(0), X, counts));
console.log("log-likelihood at w = 0:", logLik(new Array(K).fill(0), X, counts).toFixed(2));
console.log("log-likelihood at the per-bin MLE:", logLik(wHat, X, counts).toFixed(2));
console.log(
  "gradient norm at the MLE (small if right):",
  Math.hypot(...gradient(wHat, X, counts)).toFixed(3),
);
const centres = n.map((_, k) => (k + 0.5) / K);
plot.line(
  { "per-bin MLE exp(w)": wHat.map(Math.exp), "true rate": centres.map(trueRate) },
  { x: centres, title: "spikes per bin: estimate vs truth", xLabel: "position" },
);
