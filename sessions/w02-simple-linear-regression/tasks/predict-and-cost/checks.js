import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("predict([1, 2, 3], 2, 1) is [3, 5, 7]", () => {
  const got = attempt.predict([1, 2, 3], 2, 1);
  if (Array.isArray(got) && got[0] === 4)
    throw new Error("got 4 for x = 1: is it w * x + b, or (w + b) * x?");
  expectClose(got, [3, 5, 7]);
});

check("cost of w = 2, b = 0 on [1, 2, 3] -> [2, 4, 6.5] is 0.25 / 6", () => {
  const got = attempt.cost([1, 2, 3], [2, 4, 6.5], 2, 0);
  const expected = 0.25 / 6;
  if (Math.abs(got - 2 * expected) < 1e-9) throw new Error(`got ${got}, twice too big: divide by 2m, not m`);
  if (Math.abs(got - 3 * expected) < 1e-9 || Math.abs(got - 0.125) < 1e-9) {
    throw new Error(`got ${got}: divide the sum of squared errors by 2m (m = 3)`);
  }
  expectClose(got, expected);
});

check("a perfect line costs 0", () => {
  expectClose(attempt.cost([0, 1, 2], [1, 3, 5], 2, 1), 0);
});
