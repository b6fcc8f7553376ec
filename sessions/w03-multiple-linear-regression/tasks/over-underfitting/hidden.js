import { check } from "scratch/check";
import * as attempt from "attempt";

check("degree 1 underfits and degree 11 overfits", () => {
  const train = attempt.sinePoints(12, 1);
  const test = attempt.sinePoints(200, 2);
  const errors = attempt.errorsByDegree(train, test, 11);
  const best = attempt.bestDegree(errors);
  if (best < 3 || best > 8) throw new Error(`best degree ${best}, expected between 3 and 8`);
  if (!(errors.test[0] > 2 * errors.test[best - 1]))
    throw new Error("degree 1 should have a much larger test error");
  if (!(errors.test[10] > 2 * errors.test[best - 1]))
    throw new Error("degree 11 should have a much larger test error");
  if (!(errors.train[10] < errors.train[best - 1] / 2)) {
    throw new Error(
      `degree 11 should fit the 12 training points far better than degree ${best}; train MSE ${errors.train[10]}`,
    );
  }
});
