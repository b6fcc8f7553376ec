import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("mean of negative and fractional values", () => {
  expectClose(attempt.mean([-1.5, 0.5, 4, -3]), 0);
});

check("variance of a constant list is 0", () => {
  expectClose(attempt.variance([7, 7, 7, 7, 7]), 0);
});

check("runningTotal does not change its input", () => {
  const input = [5, -2, 0.5];
  expectClose(attempt.runningTotal(input), [5, 3, 3.5]);
  expectClose(input, [5, -2, 0.5]);
});
