import { tensor, zeros, randn, tidy, seed, optim, plot, metrics } from "scratch";
import { rng, normal, blobs } from "pack/blobs";

// ---- given: the previous tasks ----
export function softplus(l) {
  return l.relu().add(l.abs().neg().exp().add(1).log());
}

export function logJoint(w, X, y, priorSd) {
  const logits = X.matmul(w);
  const logLik = y.mul(logits).sub(softplus(logits)).sum();
  const d = w.shape[0];
  const logPrior = w
    .pow(2)
    .sum()
    .div(-2 * priorSd * priorSd)
    .sub((d / 2) * Math.log(2 * Math.PI * priorSd * priorSd));
  return logLik.add(logPrior);
}

export function elbo(mu, logSigma, eps, X, y, priorSd) {
  const [d, S] = eps.shape;
  const W = mu.add(logSigma.exp().mul(eps)); // [d, S]: one weight sample per column
  const logits = X.matmul(W); // [n, S]
  const logLik = y.mul(logits).sub(softplus(logits)).sum().div(S);
  const logPrior = W.pow(2)
    .sum()
    .div(-2 * priorSd * priorSd * S)
    .sub((d / 2) * Math.log(2 * Math.PI * priorSd * priorSd));
  const entropy = logSigma.sum().add((d / 2) * Math.log(2 * Math.PI * Math.E));
  return logLik.add(logPrior).add(entropy);
}

// Maximise the ELBO over mu and logSigma with Adam. Returns { mu, sigma, history } as plain arrays.
export function fit(X, y, { steps = 600, samples = 8, lr = 0.05, priorSd = 2 } = {}) {
  const d = X.shape[1];
  const history = [];
  // TODO
  return { mu: new Array(d).fill(0), sigma: new Array(d).fill(1), history };
}

// ---- try it ---------------------------------------------------------------------------------------
seed(3);
const data = blobs(100, 1);
export const posterior = fit(tensor(data.X), tensor(data.y), {
  steps: 600,
  samples: 8,
  lr: 0.05,
  priorSd: 2,
});
console.log(
  "mu:",
  posterior.mu.map((v) => v.toFixed(3)),
  "sigma:",
  posterior.sigma.map((v) => v.toFixed(3)),
);
plot.line(posterior.history, { title: "ELBO per step", xLabel: "step" });
// Posterior predictive p(y = 1 | x) on a grid, averaging 200 weight samples.
const u = rng(4);
const ws = Array.from({ length: 200 }, () => posterior.mu.map((m, j) => m + posterior.sigma[j] * normal(u)));
const values = [];
for (let i = 0; i < 30; i++)
  for (let j = 0; j < 30; j++) {
    const x1 = -4 + (8 * j) / 29,
      x2 = 4 - (8 * i) / 29;
    values.push(ws.reduce((s, w) => s + 1 / (1 + Math.exp(-(w[0] + w[1] * x1 + w[2] * x2))), 0) / ws.length);
  }
plot.heatmap(
  Array.from({ length: 30 }, (_, i) => values.slice(30 * i, 30 * i + 30)),
  { title: "posterior predictive p(y = 1 | x) on [-4, 4]^2" },
);
