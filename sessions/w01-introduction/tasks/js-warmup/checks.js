import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("mean([2, 4, 9]) is 5", () => {
  const got = attempt.mean([2, 4, 9]);
  if (got === 15) throw new Error("got 15, the sum: divide by the number of values");
  expectClose(got, 5);
});

check("variance([2, 4, 9]) is 26/3", () => {
  const got = attempt.variance([2, 4, 9]);
  if (Math.abs(got - 13) < 1e-9) throw new Error("got 13 = 26/2: divide by n (3), not n - 1");
  if (Math.abs(got - 26) < 1e-9) throw new Error("got 26, the sum of squares: divide it by n");
  expectClose(got, 26 / 3);
});

check("runningTotal([1, 2, 3, 4]) is [1, 3, 6, 10]", () => {
  const got = attempt.runningTotal([1, 2, 3, 4]);
  if (!Array.isArray(got)) throw new Error(`expected an array, got ${typeof got}`);
  expectClose(got, [1, 3, 6, 10]);
});
