import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("errors are squared, so signs do not cancel", () => {
  // errors +1 and -1: a sum without squaring would give 0
  expectClose(attempt.cost([0, 1], [0, 3], 1, 1), 0.5);
});

check("cost scales with the number of examples correctly", () => {
  const xs = [-2, -1, 0, 1, 2, 3];
  const ys = [1, 0, 2, 5, 3, 8];
  let total = 0;
  for (let i = 0; i < xs.length; i++) total += (0.5 * xs[i] + 1.5 - ys[i]) ** 2;
  expectClose(attempt.cost(xs, ys, 0.5, 1.5), total / 12);
});
