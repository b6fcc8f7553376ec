import { tensor, zeros, data, plot, metrics } from "scratch";

export function features(points) {
  return points.map(([x, y]) => {
    const r = Math.hypot(x, y);
    const theta = Math.atan2(x, y);
    // Along arm c, theta ≈ 4c + 4r: unwinding the spiral leaves each arm at its own angle.
    return [Math.cos(theta - 4 * r), Math.sin(theta - 4 * r)];
  });
}

function oneHot(labels, k) {
  return tensor(labels.map((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0))));
}

/** Softmax regression by gradient descent on standardised features; returns a predictor. */
export function fitClassifier(rows, labels, name) {
  const X0 = tensor(rows);
  const mean = X0.mean(0);
  const std = X0.sub(mean).pow(2).mean(0).sqrt().add(1e-8);
  const scale = (X) => X.sub(mean).div(std);
  const X = scale(X0);
  const Y = oneHot(labels, 3);
  const m = X.shape[0];
  let W = zeros([X.shape[1], 3]);
  let b = zeros([3]);
  for (let epoch = 0; epoch < 300; epoch++) {
    const P = X.matmul(W).add(b).softmax(1);
    if (epoch % 20 === 0) metrics.log(name, Y.mul(P.log()).sum(1).mean().neg(), epoch);
    const E = P.sub(Y);
    W = W.sub(X.transpose().matmul(E).div(m));
    b = b.sub(E.mean(0));
  }
  return (newRows) => scale(tensor(newRows)).matmul(W).add(b).argmax(1).toArray();
}

const accuracyOf = (pred, labels) => pred.filter((p, i) => p === labels[i]).length / labels.length;

const spirals = data.spirals({ n: 100, classes: 3, seed: 0 });
const points = spirals.x.toArray();
const labels = spirals.y.toArray();

const raw = fitClassifier(points, labels, "loss (raw x, y)");
const engineered = fitClassifier(features(points), labels, "loss (your features)");
export const results = {
  raw: accuracyOf(raw(points), labels),
  engineered: accuracyOf(engineered(features(points)), labels),
  predictor: (newPoints) => engineered(features(newPoints)),
};
console.log(`accuracy on raw coordinates: ${results.raw}; with your features: ${results.engineered}`);

const n = 50;
const grid = [];
for (let i = 0; i < n; i++)
  for (let j = 0; j < n; j++) grid.push([-1 + (2 * j) / (n - 1), 1 - (2 * i) / (n - 1)]);
plot.heatmap(tensor(raw(grid)).reshape([n, n]), { title: "decision regions on raw coordinates" });
plot.heatmap(tensor(engineered(features(grid))).reshape([n, n]), {
  title: "decision regions with your features",
});
plot.scatter(spirals.x, { labels, title: "the spirals" });
