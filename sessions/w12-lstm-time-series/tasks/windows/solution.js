import { data, plot } from "scratch";

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

export function fitScaler(values) {
  const mean = values.reduce((a, v) => a + v, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  return { mean, std };
}

export function prepare(series, window, trainFraction) {
  const { X, y } = makeWindows(series, window);
  const { train, test } = splitByTime(X, y, trainFraction);
  const scaler = fitScaler(train.y);
  return { train, test, scaler };
}

const sp500 = data.sp500().price.toArray();
const { train, test, scaler } = prepare(sp500, 12, 0.8);
console.log(`${sp500.length} months → ${train.X.length} training windows, ${test.X.length} test windows`);
console.log(`scaler from the training targets: mean ${scaler.mean.toFixed(1)}, std ${scaler.std.toFixed(1)}`);
const trainEnd = 12 + train.X.length;
plot.line(sp500, {
  title: `S&P 500, monthly since Jan 2000: months 0–${trainEnd - 1} train, the rest test`,
  xLabel: "month",
});
