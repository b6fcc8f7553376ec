import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("no episode ends: discounted rewards plus the discounted bootstrap", () => {
  const G = attempt.nStepReturns([[1], [0], [2]], [[false], [false], [false]], [10], 0.5);
  expectClose(G, [[1 + 0.5 * 0 + 0.25 * 2 + 0.125 * 10], [0 + 0.5 * 2 + 0.25 * 10], [2 + 0.5 * 10]]);
});

check("an episode ending inside the rollout cuts the return there", () => {
  const G = attempt.nStepReturns(
    [
      [1, 1],
      [1, 1],
      [1, 1],
    ],
    [
      [false, false],
      [false, true],
      [false, false],
    ],
    [10, 10],
    0.9,
  );
  // env 0: never done -> 1 + .9 + .81 + .729 * 10; env 1: done at t = 1 -> t = 0: 1 + .9 * 1, t = 1: 1, t = 2: 1 + .9 * 10
  expectClose(G, [
    [1 + 0.9 + 0.81 + 7.29, 1.9],
    [1 + 0.9 + 8.1, 1],
    [1 + 9, 10],
  ]);
});

check("advantages = returns - values", () => {
  expectClose(
    attempt.advantages(
      [
        [3, 1],
        [2, 0],
      ],
      [
        [1, 1],
        [2.5, -1],
      ],
    ),
    [
      [2, 0],
      [-0.5, 1],
    ],
  );
});
