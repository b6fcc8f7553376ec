import { check, CheckFailure } from "scratch/check";
import * as attempt from "attempt";

check("a window as long as the series allows leaves exactly one example", () => {
  const { X, y } = attempt.makeWindows([1, 2, 3, 4], 3);
  if (X.length !== 1 || y[0] !== 4)
    throw new CheckFailure(
      `4 values with window 3: expected one window [1, 2, 3] → 4, got ${JSON.stringify({ X, y })}`,
    );
});

check("train and test never share a target, and test comes later", () => {
  const series = Array.from({ length: 40 }, (_, t) => t);
  const { train, test } = attempt.prepare(series, 5, 0.75);
  const lastTrain = Math.max(...train.y);
  const firstTest = Math.min(...test.y);
  if (!(lastTrain < firstTest))
    throw new CheckFailure(
      `the last training target (${lastTrain}) must come before the first test target (${firstTest})`,
    );
  if (train.y.length + test.y.length !== 35)
    throw new CheckFailure(
      `40 values, window 5: 35 examples in all, got ${train.y.length} + ${test.y.length}`,
    );
});
