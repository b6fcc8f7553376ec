import { tensor, randn, zeros, tidy, data, plot, metrics } from "scratch";

export function sigmoid(Z) {
  return Z.neg().exp().add(1).pow(-1);
}

export function softmax(Z) {
  const m = Z.shape[0];
  const e = Z.sub(Z.max(1).reshape([m, 1])).exp();
  return e.div(e.sum(1).reshape([m, 1]));
}

export function forward(X, params) {
  const Z1 = X.matmul(params.W1).add(params.b1);
  const A1 = sigmoid(Z1);
  const Z2 = A1.matmul(params.W2).add(params.b2);
  return { Z1, A1, Z2, P: softmax(Z2) };
}

export function backward(X, Y, params, cache) {
  const m = X.shape[0];
  const { A1, P } = cache;
  const dZ2 = P.sub(Y).div(m);
  const dA1 = dZ2.matmul(params.W2.transpose());
  const dZ1 = dA1.mul(A1).mul(A1.neg().add(1));
  return {
    W1: X.transpose().matmul(dZ1),
    b1: dZ1.sum(0),
    W2: A1.transpose().matmul(dZ2),
    b2: dZ2.sum(0),
  };
}

export function crossEntropy(P, Y) {
  return Y.mul(P.log()).sum(1).mean().neg().item();
}

function oneHot(labels, k) {
  return tensor(labels.map((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0))));
}

export function initParams(nIn, nHidden, nOut) {
  // TODO: random weights scaled by sqrt(1 / fan-in), zero biases
  return { W1: zeros([nIn, nHidden]), b1: zeros([nHidden]), W2: zeros([nHidden, nOut]), b2: zeros([nOut]) };
}

export function step(X, Y, params, lr) {
  // TODO: forward, backward, and move every parameter against its gradient
  return params;
}

export function accuracy(P, labels) {
  // TODO: the fraction of rows where the most probable class equals the label
  return 0;
}

const { x: X, y } = data.spirals({ n: 100, classes: 3, seed: 0 });
const labels = y.toArray();
const Y = oneHot(labels, 3);

// tidy() frees the tensors a step creates except the new parameters; the old ones are freed
// by hand. (The sandbox holds at most 20,000 tensors at once.)
let params = initParams(2, 32, 3);
for (let i = 0; i <= 1000; i++) {
  if (i % 20 === 0)
    metrics.log(
      "loss",
      tidy(() => crossEntropy(forward(X, params).P, Y)),
      i,
    );
  if (i === 1000) break;
  const next = tidy(() => step(X, Y, params, 5));
  for (const k of Object.keys(params)) if (next[k] !== params[k]) params[k].dispose();
  params = next;
}
export const trainedParams = params;
export const finalAccuracy = accuracy(forward(X, params).P, labels);
console.log("training accuracy:", finalAccuracy);

// The decision regions: the predicted class on a 50 x 50 grid over [-1, 1]^2.
const n = 50;
const grid = [];
for (let i = 0; i < n; i++)
  for (let j = 0; j < n; j++) grid.push([-1 + (2 * j) / (n - 1), 1 - (2 * i) / (n - 1)]);
plot.heatmap(forward(tensor(grid), params).P.argmax(1).reshape([n, n]), {
  title: "predicted class over [-1, 1]^2",
});
plot.scatter(X, { labels, title: "the three spirals" });
