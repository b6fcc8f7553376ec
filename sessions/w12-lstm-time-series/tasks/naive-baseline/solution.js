import { data, plot } from "scratch";

// Given (the previous task).
export function makeWindows(series, window, horizon = 1) {
  const X = [];
  const y = [];
  for (let t = 0; t + window + horizon - 1 < series.length; t++) {
    X.push(series.slice(t, t + window));
    y.push(series[t + window + horizon - 1]);
  }
  return { X, y };
}

export function splitByTime(X, y, trainFraction) {
  const n = Math.floor(X.length * trainFraction);
  return { train: { X: X.slice(0, n), y: y.slice(0, n) }, test: { X: X.slice(n), y: y.slice(n) } };
}

export function naiveForecast(X) {
  return X.map((w) => w[w.length - 1]);
}

export function movingAverageForecast(X, k) {
  return X.map((w) => w.slice(-k).reduce((a, v) => a + v, 0) / Math.min(k, w.length));
}

export function mae(y, yHat) {
  return y.reduce((a, v, i) => a + Math.abs(v - yHat[i]), 0) / y.length;
}

export function rmse(y, yHat) {
  return Math.sqrt(y.reduce((a, v, i) => a + (v - yHat[i]) ** 2, 0) / y.length);
}

const sp500 = data.sp500().price.toArray();
const { X, y } = makeWindows(sp500, 12);
const { test } = splitByTime(X, y, 0.8);
const naive = naiveForecast(test.X);
const ma = movingAverageForecast(test.X, 3);
console.log(`test period, ${test.y.length} months`);
console.log(`naive:            MAE ${mae(test.y, naive).toFixed(1)}  RMSE ${rmse(test.y, naive).toFixed(1)}`);
console.log(`3-month average:  MAE ${mae(test.y, ma).toFixed(1)}  RMSE ${rmse(test.y, ma).toFixed(1)}`);
plot.line(
  { truth: test.y, naive, "3-month average": ma },
  { title: "test period: truth and two baselines", xLabel: "test month" },
);
