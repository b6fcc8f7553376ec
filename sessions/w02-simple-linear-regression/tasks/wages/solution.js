import { data, plot } from "scratch";

export function zscore(xs) {
  const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
  return { z: xs.map((x) => (x - mean) / std), mean, std };
}

export function fit(xs, ys, lr, epochs) {
  let w = 0;
  let b = 0;
  const m = xs.length;
  for (let epoch = 0; epoch < epochs; epoch++) {
    let dw = 0;
    let db = 0;
    for (let i = 0; i < m; i++) {
      const error = w * xs[i] + b - ys[i];
      dw += error * xs[i];
      db += error;
    }
    w -= (lr * dw) / m;
    b -= (lr * db) / m;
  }
  return { w, b };
}

export function unscale(model, scaling) {
  const slope = model.w / scaling.std;
  return { slope, intercept: model.b - slope * scaling.mean };
}

const table = data.table("wages");
const education = table.rows.map((r) => r[table.columns.indexOf("education")]);
const wage = table.rows.map((r) => r[table.columns.indexOf("wage")]);
const scaling = zscore(education);
const model = fit(scaling.z, wage, 0.5, 200);
export const line = unscale(model, { mean: scaling.mean, std: scaling.std });
console.log(`scaled: w = ${model.w.toFixed(3)}, b = ${model.b.toFixed(3)}`);
console.log(
  `one more year of education: $${line.slope.toFixed(2)} per hour (intercept ${line.intercept.toFixed(2)})`,
);

const xs = [2, 18];
plot.scatter([...education, ...xs], [...wage, ...xs.map((x) => line.slope * x + line.intercept)], {
  labels: [...education.map(() => 0), 1, 1],
  title: "hourly wage against years of education, with your line (1)",
  xLabel: "years of education",
  yLabel: "dollars per hour",
});
