import { plot, metrics } from "scratch";
import { trueRate, placeCell } from "pack/place-cell";

// ---- given: your solution of the previous task ----
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

export function penalty(w, lambda) {
  let s = 0;
  for (let k = 0; k + 1 < w.length; k++) s += (w[k + 1] - w[k]) ** 2;
  return -lambda * s;
}

export function penaltyGradient(w, lambda) {
  return w.map((wk, k) => {
    let g = 0;
    if (k + 1 < w.length) g += 2 * lambda * (w[k + 1] - wk);
    if (k > 0) g -= 2 * lambda * (wk - w[k - 1]);
    return g;
  });
}

export function fit(X, y, { lambda = 0, lr = 1, steps = 500 } = {}) {
  const T = y.length;
  let w = new Array(X[0].length).fill(0);
  for (let i = 0; i < steps; i++) {
    const g = gradient(w, X, y);
    const gp = penaltyGradient(w, lambda);
    w = w.map((wk, k) => wk + (lr * (g[k] + gp[k])) / T);
  }
  return w;
}

// ---- try it ---------------------------------------------------------------------------------
const K = 40;
const train = placeCell(800, 11);
const test = placeCell(800, 12);
const Xtrain = design(train.positions, K),
  Xtest = design(test.positions, K);
const centres = Array.from({ length: K }, (_, k) => (k + 0.5) / K);
export const heldOut = {};
metrics.log("held-out log-likelihood at w = 0", logLik(new Array(K).fill(0), Xtest, test.counts));
console.log(
  `held-out log-likelihood at w = 0: ${logLik(new Array(K).fill(0), Xtest, test.counts).toFixed(2)}`,
);
const curves = { "true rate": centres.map(trueRate) };
for (const lambda of [0, 3, 30]) {
  const w = fit(Xtrain, train.counts, { lambda, lr: 5, steps: 150 });
  heldOut[lambda] = logLik(w, Xtest, test.counts);
  metrics.log("held-out log-likelihood", heldOut[lambda]);
  console.log(`lambda = ${lambda}: held-out log-likelihood ${heldOut[lambda].toFixed(2)}`);
  curves[`lambda = ${lambda}`] = w.map(Math.exp);
}
plot.line(curves, { x: centres, title: "fitted tuning curves", xLabel: "position" });
