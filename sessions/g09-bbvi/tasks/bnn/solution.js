import { tensor, zeros, randn, noGrad, tidy, seed, optim, plot, metrics } from "scratch";
import { rng, normal } from "pack/blobs";

// ---- given: two moons -------------------------------------------------------------------------------
/** n points on two interleaved half circles (centred), noise sd 0.1; labels 0 and 1 alternate. */
export function moons(n, seed) {
  const u = rng(seed);
  const X = [],
    y = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2,
      t = Math.PI * u();
    const x1 = c ? 1 - Math.cos(t) : Math.cos(t),
      x2 = c ? 0.5 - Math.sin(t) : Math.sin(t);
    X.push([x1 - 0.5 + 0.1 * normal(u), x2 - 0.25 + 0.1 * normal(u)]);
    y.push([c]);
  }
  return { X, y };
}
export function softplus(l) {
  return l.relu().add(l.abs().neg().exp().add(1).log());
}
// The network 2 -> 32 (ReLU) -> 1 (logit), with weights W = [W1, b1, W2, b2].
export const shapes = [[2, 32], [32], [32, 1], [1]];
export const forward = (W, x) => x.matmul(W[0]).add(W[1]).relu().matmul(W[2]).add(W[3]);
// ---------------------------------------------------------------------------------------------------

export function sampleWeights(means, logSigmas) {
  return means.map((m, i) => m.add(logSigmas[i].exp().mul(randn(m.shape))));
}

export function klToPrior(means, logSigmas, priorSd) {
  let kl = null;
  means.forEach((m, i) => {
    const ls = logSigmas[i];
    const term = ls
      .neg()
      .add(Math.log(priorSd) - 0.5)
      .add(
        ls
          .mul(2)
          .exp()
          .add(m.pow(2))
          .div(2 * priorSd * priorSd),
      )
      .sum();
    kl = kl ? kl.add(term) : term;
  });
  return kl;
}

export function negativeElbo(means, logSigmas, X, y, priorSd) {
  const logits = forward(sampleWeights(means, logSigmas), X);
  const nll = softplus(logits).sub(y.mul(logits)).sum();
  return nll.add(klToPrior(means, logSigmas, priorSd)).div(X.shape[0]);
}

// ---- train ----------------------------------------------------------------------------------------
seed(4);
export const means = shapes.map((s) => randn(s).mul(0.5).requiresGrad());
export const logSigmas = shapes.map((s) => zeros(s).add(-3).requiresGrad());
const opt = new optim.Adam([...means, ...logSigmas], { lr: 0.1 });
const data = moons(200, 1);
const X = tensor(data.X),
  y = tensor(data.y);
export const history = [];
for (let step = 0; step < 300; step++) {
  // tidy frees the step's temporary tensors (the sandbox caps how many may be alive).
  const value = tidy(() => {
    const loss = negativeElbo(means, logSigmas, X, y, 1);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    return loss.item();
  });
  history.push(value);
  metrics.log("-ELBO / n", value);
  if (step % 50 === 0) console.log(`step ${step}: -ELBO / n = ${history[step].toFixed(4)}`);
}
plot.line(history, { title: "-ELBO / n", xLabel: "step" });

/** Probabilities p(y = 1 | x) of S sampled networks: an S x n array. */
export function sampledProbabilities(points, S = 50) {
  return tidy(() =>
    noGrad(() =>
      Array.from({ length: S }, () =>
        forward(sampleWeights(means, logSigmas), tensor(points))
          .sigmoid()
          .toArray()
          .map((r) => r[0]),
      ),
    ),
  );
}
/** Logits of S sampled networks: an S x n array. */
export function sampledLogits(points, S = 50) {
  return tidy(() =>
    noGrad(() =>
      Array.from({ length: S }, () =>
        forward(sampleWeights(means, logSigmas), tensor(points))
          .toArray()
          .map((r) => r[0]),
      ),
    ),
  );
}
const grid = [];
for (let i = 0; i < 30; i++) for (let j = 0; j < 30; j++) grid.push([-3 + (6 * j) / 29, 3 - (6 * i) / 29]);
const probs = sampledProbabilities(grid);
const mean = grid.map((_, k) => probs.reduce((s, p) => s + p[k], 0) / probs.length);
const sd = grid.map((_, k) => Math.sqrt(probs.reduce((s, p) => s + (p[k] - mean[k]) ** 2, 0) / probs.length));
const rows = (v) => Array.from({ length: 30 }, (_, i) => v.slice(30 * i, 30 * i + 30));
plot.heatmap(rows(mean), { title: "predictive mean p(y = 1 | x) on [-3, 3]^2" });
plot.heatmap(rows(sd), { title: "spread of the sampled networks (sd of p)" });
plot.scatter(
  data.X.map((p) => p[0]),
  data.X.map((p) => p[1]),
  { labels: data.y.map((l) => l[0]), title: "two moons" },
);
