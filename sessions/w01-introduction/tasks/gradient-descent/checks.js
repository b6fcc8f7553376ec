import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("derivative(1) is 4 - 9 = -5", () => {
  const got = attempt.derivative(1);
  if (got === 5) throw new Error("got 5 instead of -5: check the sign of the 9x^2 term");
  expectClose(got, -5);
});

check("derivative(2) is 32 - 36 = -4", () => {
  expectClose(attempt.derivative(2), -4);
});

check("descend(3, 0.01, 1) takes exactly one step", () => {
  const path = attempt.descend(3, 0.01, 1);
  if (path.length !== 2)
    throw new Error(`expected [x0, x1] (2 numbers), got ${path.length}: include x0 and one step`);
  if (path[1] > 3) throw new Error(`x went up to ${path[1]}: step against the derivative (x - lr * f'(x))`);
  expectClose(path, [3, 2.73]);
});

check("descend(3, 0.01, 100) ends near the minimum x = 9/4", () => {
  const path = attempt.descend(3, 0.01, 100);
  expectClose(path[path.length - 1], 2.25, { atol: 1e-3 });
});
