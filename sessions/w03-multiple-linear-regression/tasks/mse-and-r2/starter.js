import { tensor, zeros, data, plot, metrics } from "scratch";

export function predict(X, w, b) {
  return X.matmul(w).add(b);
}

export function train(X, y, lr, epochs) {
  const m = X.shape[0];
  let w = zeros([X.shape[1], 1]);
  let b = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const e = predict(X, w, b).sub(y);
    if (epoch % 20 === 0) metrics.log(`train MSE (${X.shape[1]} features)`, e.pow(2).mean(), epoch);
    w = w.sub(X.transpose().matmul(e).div(m).mul(lr));
    b = b - lr * e.mean().item();
  }
  return { w, b };
}

/** Boston rows split into train (4 of every 5) and test (every fifth), features and targets apart. */
function loadSplit(featureNames) {
  const table = data.table("boston");
  const columns = featureNames.map((c) => table.columns.indexOf(c));
  const target = table.columns.indexOf("medv");
  const part = (keep) => {
    const rows = table.rows.filter((_, i) => keep(i));
    return { X: tensor(rows.map((r) => columns.map((c) => r[c]))), y: tensor(rows.map((r) => [r[target]])) };
  };
  return { train: part((i) => i % 5 !== 0), test: part((i) => i % 5 === 0) };
}

function statsOf(X) {
  const mean = X.mean(0);
  return { mean, std: X.sub(mean).pow(2).mean(0).sqrt() };
}

export function mse(pred, y) {
  // TODO: mean of the squared errors, as a number
  return 0;
}

export function r2(pred, y) {
  // TODO: 1 - residual sum of squares / total sum of squares
  return 0;
}

export function scaleLike(X, stats) {
  // TODO: this standardises X with its OWN mean and std; use the given stats (the training set's)
  const mean = X.mean(0);
  return X.sub(mean).div(X.sub(mean).pow(2).mean(0).sqrt());
}

const all = ["crim", "zn", "indus", "chas", "nox", "rm", "age", "dis", "rad", "tax", "ptratio", "b", "lstat"];
export const results = {};
for (const [name, features] of [
  ["lstat only", ["lstat"]],
  ["all 13 features", all],
]) {
  const { train: tr, test: te } = loadSplit(features);
  const stats = statsOf(tr.X);
  const Xtr = scaleLike(tr.X, stats);
  const Xte = scaleLike(te.X, stats);
  const { w, b } = train(Xtr, tr.y, 0.1, 300);
  results[name] = {
    trainMse: mse(predict(Xtr, w, b), tr.y),
    testMse: mse(predict(Xte, w, b), te.y),
    testR2: r2(predict(Xte, w, b), te.y),
  };
  console.log(name, JSON.stringify(results[name]));
}
plot.line(
  {
    "train MSE": Object.values(results).map((r) => r.trainMse),
    "test MSE": Object.values(results).map((r) => r.testMse),
  },
  { title: "MSE: lstat only (0), all 13 features (1)", xLabel: "model", yLabel: "MSE" },
);
