import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("F1 is 0, not NaN, for a class never predicted and never present", () => {
  expectClose(
    attempt.f1Scores([
      [2, 0, 0],
      [0, 3, 0],
      [0, 0, 0],
    ]),
    [1, 1, 0],
  );
});

check("the baseline of a one-class training set", () => {
  expectClose(attempt.majorityBaseline([1, 1, 1], [1, 0, 1, 1]), 0.75);
});
