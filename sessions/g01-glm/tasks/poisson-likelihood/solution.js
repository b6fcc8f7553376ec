import { plot, metrics } from "scratch";
import { trueRate, placeCell } from "pack/place-cell";

export function design(positions, K) {
  return positions.map((p) => {
    const row = new Array(K).fill(0);
    row[Math.min(K - 1, Math.floor(p * K))] = 1;
    return row;
  });
}

const logFactorial = (n) => {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
};

export function logLik(w, X, y) {
  let ll = 0;
  for (let t = 0; t < y.length; t++) {
    let eta = 0;
    for (let k = 0; k < w.length; k++) eta += X[t][k] * w[k];
    ll += y[t] * eta - Math.exp(eta) - logFactorial(y[t]);
  }
  return ll;
}

export function gradient(w, X, y) {
  const g = new Array(w.length).fill(0);
  for (let t = 0; t < y.length; t++) {
    let eta = 0;
    for (let k = 0; k < w.length; k++) eta += X[t][k] * w[k];
    const residual = y[t] - Math.exp(eta);
    for (let k = 0; k < w.length; k++) g[k] += X[t][k] * residual;
  }
  return g;
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
