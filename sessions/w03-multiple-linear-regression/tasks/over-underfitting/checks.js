import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("polyFeatures([2, -1], 3) is [[2, 4, 8], [-1, 1, -1]]", () => {
  const got = attempt.polyFeatures([2, -1], 3);
  if (got[0]?.length === 4)
    throw new Error("rows have 4 entries: leave out x^0 = 1, the solver adds the bias");
  expectClose(got, [
    [2, 4, 8],
    [-1, 1, -1],
  ]);
});

check("mse([1, 2, 4], [1, 3, 2]) is 5/3", () => {
  expectClose(attempt.mse([1, 2, 4], [1, 3, 2]), 5 / 3);
});

check("errors by degree: the training error never rises with the degree", () => {
  const train = attempt.sinePoints(12, 1);
  const test = attempt.sinePoints(200, 2);
  const errors = attempt.errorsByDegree(train, test, 8);
  if (errors.train.length !== 8 || errors.test.length !== 8) {
    throw new Error(
      `expected 8 train and 8 test errors (degrees 1..8), got ${errors.train.length} and ${errors.test.length}`,
    );
  }
  for (let d = 1; d < 8; d++) {
    if (errors.train[d] > errors.train[d - 1] + 1e-6) {
      throw new Error(
        `train error rose from degree ${d} to ${d + 1}: is each degree fitted on its own features?`,
      );
    }
  }
});

check("bestDegree reads degrees, not indices", () => {
  expectClose(attempt.bestDegree({ train: [3, 2, 1, 0.5], test: [3, 1, 2, 4] }), 2);
});
