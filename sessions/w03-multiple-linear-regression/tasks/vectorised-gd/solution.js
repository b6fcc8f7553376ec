import { tensor, zeros, data, plot, metrics } from "scratch";

export function predict(X, w, b) {
  return X.matmul(w).add(b);
}

export function gradients(X, y, w, b) {
  const m = X.shape[0];
  const e = predict(X, w, b).sub(y);
  return { dw: X.transpose().matmul(e).div(m), db: e.mean().item() };
}

function cost(X, y, w, b) {
  const e = predict(X, w, b).sub(y);
  return e.pow(2).mean().item() / 2;
}

export function train(X, y, lr, epochs) {
  let w = zeros([X.shape[1], 1]);
  let b = 0;
  const losses = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const { dw, db } = gradients(X, y, w, b);
    w = w.sub(dw.mul(lr));
    b = b - lr * db;
    losses.push(cost(X, y, w, b));
    if (epoch % 10 === 0 && losses.length > 0) metrics.log("cost", losses[losses.length - 1], epoch);
  }
  return { w, b, losses };
}

/** The Boston table as a normalised feature tensor X [506, 13] and targets y [506, 1]. */
function loadBoston() {
  const table = data.table("boston");
  const target = table.columns.indexOf("medv");
  const features = table.columns.filter((c) => c !== "medv");
  const rows = table.rows.map((r) => features.map((c) => r[table.columns.indexOf(c)]));
  const X = tensor(rows);
  const mean = X.mean(0);
  const std = X.sub(mean).pow(2).mean(0).sqrt();
  return { X: X.sub(mean).div(std), y: tensor(table.rows.map((r) => [r[target]])), features };
}

const { X, y, features } = loadBoston();
const model = train(X, y, 0.1, 300);
console.log("final cost", model.losses[model.losses.length - 1], "bias", model.b);
plot.line(model.losses, { title: "cost per epoch", xLabel: "epoch", yLabel: "J" });
const pred = predict(X, model.w, model.b);
plot.scatter(y, pred, {
  title: "predicted against actual median value",
  xLabel: "actual ($1000s)",
  yLabel: "predicted ($1000s)",
});
