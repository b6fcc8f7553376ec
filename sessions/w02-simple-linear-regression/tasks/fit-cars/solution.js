import { data, plot } from "scratch";

export function predict(xs, w, b) {
  return xs.map((x) => w * x + b);
}

export function cost(xs, ys, w, b) {
  let total = 0;
  for (let i = 0; i < xs.length; i++) total += (w * xs[i] + b - ys[i]) ** 2;
  return total / (2 * xs.length);
}

export function gradients(xs, ys, w, b) {
  let dw = 0;
  let db = 0;
  for (let i = 0; i < xs.length; i++) {
    const error = w * xs[i] + b - ys[i];
    dw += error * xs[i];
    db += error;
  }
  return { dw: dw / xs.length, db: db / xs.length };
}

export function zscore(xs) {
  const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length;
  const std = Math.sqrt(variance);
  return { z: xs.map((x) => (x - mean) / std), mean, std };
}

export function fit(xs, ys, lr, epochs) {
  let w = 0;
  let b = 0;
  const costs = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const { dw, db } = gradients(xs, ys, w, b);
    w -= lr * dw;
    b -= lr * db;
    costs.push(cost(xs, ys, w, b));
  }
  return { w, b, costs };
}

/** Horsepower and miles per gallon of every car that has both. */
function loadCars() {
  const table = data.cars();
  const hp = table.columns.indexOf("Horsepower");
  const mpg = table.columns.indexOf("Miles_per_Gallon");
  const rows = table.rows.filter((r) => r[hp] !== null && r[mpg] !== null);
  return { horsepower: rows.map((r) => r[hp]), mpg: rows.map((r) => r[mpg]) };
}

const cars = loadCars();
const scaled = zscore(cars.horsepower);
const model = fit(scaled.z, cars.mpg, 0.1, 200);

export function predictMpg(hp) {
  return model.w * ((hp - scaled.mean) / scaled.std) + model.b;
}

console.log(`w = ${model.w}, b = ${model.b}; a 100 hp car does ${predictMpg(100)} mpg`);
plot.line(model.costs, { title: "cost per epoch", xLabel: "epoch", yLabel: "J(w, b)" });
const line = Array.from({ length: 50 }, (_, i) => 46 + (184 * i) / 49);
plot.scatter([...cars.horsepower, ...line], [...cars.mpg, ...line.map(predictMpg)], {
  labels: [...cars.mpg.map(() => 0), ...line.map(() => 1)],
  title: "miles per gallon against horsepower: cars (0) and your fitted line (1)",
  xLabel: "horsepower",
  yLabel: "mpg",
});
