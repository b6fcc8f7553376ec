import { plot, metrics } from "scratch";
import { placeCell } from "pack/place-cell";

// ---- given: your solutions of the previous tasks ----
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

export function deviance(y, mu) {
  let d = 0;
  for (let t = 0; t < y.length; t++) d += (y[t] > 0 ? y[t] * Math.log(y[t] / mu[t]) : 0) - (y[t] - mu[t]);
  return 2 * d;
}

export function pseudoR2(y, mu, muNull) {
  return 1 - deviance(y, mu) / deviance(y, muNull);
}

export function bitsPerSpike(y, mu, muNull) {
  let gain = 0,
    spikes = 0;
  for (let t = 0; t < y.length; t++) {
    gain += y[t] * Math.log(mu[t] / muNull[t]) - (mu[t] - muNull[t]);
    spikes += y[t];
  }
  return gain / (spikes * Math.LN2);
}

// ---- try it ---------------------------------------------------------------------------------
const K = 40;
const train = placeCell(800, 11);
const test = placeCell(800, 12);
const Xtrain = design(train.positions, K),
  Xtest = design(test.positions, K);
const meanRate = train.counts.reduce((a, b) => a + b, 0) / train.counts.length;
const muNull = test.counts.map(() => meanRate);
metrics.log("null-model rate (spikes per bin)", meanRate);
console.log(`null model: ${meanRate.toFixed(3)} spikes per bin everywhere`);
const lambdas = [0, 1, 3, 10, 30]; // lr = 5 is stable up to lambda of about 50 here
export const scores = lambdas.map((lambda) => {
  const w = fit(Xtrain, train.counts, { lambda, lr: 5, steps: 100 });
  const mu = Xtest.map((row) => Math.exp(row.reduce((s, x, k) => s + x * w[k], 0)));
  const score = {
    lambda,
    r2: pseudoR2(test.counts, mu, muNull),
    bits: bitsPerSpike(test.counts, mu, muNull),
  };
  metrics.log("held-out bits per spike", score.bits);
  console.log(`lambda = ${lambda}: pseudo-R² ${score.r2.toFixed(3)}, ${score.bits.toFixed(3)} bits/spike`);
  return score;
});
plot.line(
  scores.map((s) => s.bits),
  { x: lambdas.map((l) => Math.log10(l + 1)), title: "held-out bits per spike", xLabel: "log10(1 + lambda)" },
);
