import { check, CheckFailure } from "scratch/check";
import * as attempt from "attempt";

const series = [10, 11, 12, 13, 14, 15, 16];
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

check("makeWindows(series, 3): inputs and next values", () => {
  const { X, y } = attempt.makeWindows(series, 3);
  if (!Array.isArray(X) || X.length !== 4)
    throw new CheckFailure(
      `7 values with window 3 give 4 windows, got ${X?.length}. The last window must still have a target after it.`,
    );
  if (!same(X[0], [10, 11, 12]) || !same(X[3], [13, 14, 15]))
    throw new CheckFailure(
      `expected X[0] = [10,11,12] and X[3] = [13,14,15], got ${JSON.stringify(X[0])} and ${JSON.stringify(X[3])}`,
    );
  if (!same(y, [13, 14, 15, 16]))
    throw new CheckFailure(
      `expected y = [13, 14, 15, 16], got ${JSON.stringify(y)}${y?.[0] === 12 ? " — the target is the value after the window, not its last value" : ""}`,
    );
});

check("makeWindows with horizon 2 skips one step", () => {
  const { X, y } = attempt.makeWindows(series, 3, 2);
  if (X.length !== 3 || !same(y, [14, 15, 16]))
    throw new CheckFailure(
      `window 3, horizon 2: expected 3 windows with y = [14, 15, 16], got ${X.length} windows, y = ${JSON.stringify(y)}`,
    );
});

check("splitByTime keeps order: the past trains, the future tests", () => {
  const X = [[0], [1], [2], [3], [4], [5], [6], [7], [8], [9]];
  const y = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const { train, test } = attempt.splitByTime(X, y, 0.8);
  if (!same(train.y, [0, 1, 2, 3, 4, 5, 6, 7]) || !same(test.y, [8, 9]))
    throw new CheckFailure(
      `expected train.y = [0..7] and test.y = [8, 9], got ${JSON.stringify(train.y)} / ${JSON.stringify(test.y)}. Split by position in time; never shuffle a time series.`,
    );
  if (!same(test.X, [[8], [9]])) throw new CheckFailure("test.X must hold the windows of the test targets");
});

check("the scaler is fitted on the training targets only", () => {
  const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100, 200];
  const { train, scaler } = attempt.prepare(s, 2, 0.8);
  const mean = train.y.reduce((a, v) => a + v, 0) / train.y.length;
  if (!(Math.abs(scaler.mean - mean) < 1e-9))
    throw new CheckFailure(
      `scaler.mean = ${scaler.mean}, but the mean of the training targets is ${mean}${scaler.mean > 20 ? ". The test period leaked into the scaler." : ""}`,
    );
  const std = Math.sqrt(train.y.reduce((a, v) => a + (v - mean) ** 2, 0) / train.y.length);
  if (!(Math.abs(scaler.std - std) < 1e-9))
    throw new CheckFailure(
      `scaler.std = ${scaler.std}, expected ${std} (population std of the training targets)`,
    );
});
