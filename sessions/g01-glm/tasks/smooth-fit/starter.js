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

// -lambda * sum_k (w[k+1] - w[k])^2
export function penalty(w, lambda) {
  return 0; // TODO
}

// The gradient of penalty(w, lambda) with respect to w.
export function penaltyGradient(w, lambda) {
  return w.map(() => 0); // TODO
}

// Gradient ascent from w = 0 on logLik(w) + penalty(w): w += lr * (gradient + penaltyGradient) / T.
export function fit(X, y, { lambda = 0, lr = 1, steps = 500 } = {}) {
  const w = new Array(X[0].length).fill(0);
  // TODO
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
