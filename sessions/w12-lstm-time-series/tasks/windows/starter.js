import { data, plot } from "scratch";

export function makeWindows(series, window, horizon = 1) {
  const X = [];
  const y = [];
  // TODO
  return { X, y };
}

export function splitByTime(X, y, trainFraction) {
  // TODO: the first part in time is training, the rest test (no shuffling)
  return { train: { X, y }, test: { X: [], y: [] } };
}

export function fitScaler(values) {
  return { mean: 0, std: 1 }; // TODO
}

export function prepare(series, window, trainFraction) {
  const { X, y } = makeWindows(series, window);
  const { train, test } = splitByTime(X, y, trainFraction);
  const scaler = fitScaler(series); // TODO: this leaks the future!
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
