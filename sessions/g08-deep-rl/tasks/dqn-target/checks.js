import { check, expectClose } from "scratch/check";
import { tensor } from "scratch";
import * as attempt from "attempt";

check("targets bootstrap on the best next action, and stop at terminal states", () => {
  const y = attempt.dqnTargets(
    [1, 0, 1, -1],
    tensor([
      [1, 3],
      [2, 0.5],
      [4, 4],
      [-2, -1],
    ]),
    [false, false, true, false],
    0.9,
  );
  const got = Array.isArray(y) ? y : y && y.toArray ? y.toArray() : y;
  if (Array.isArray(got) && Math.abs(got[2] - 4.6) < 1e-6)
    throw new Error("target[2] = 4.6: a terminal transition has no future, y = r");
  expectClose(got, [3.7, 1.8, 1, -1.9], { atol: 1e-5 });
});

check("tdLoss uses only the taken actions", () => {
  const q = tensor([
    [0.5, 2],
    [1, 1],
    [0, 3],
  ]);
  const got = attempt.tdLoss(q, [1, 0, 1], [3.7, 2.8, 1]).item();
  expectClose(got, ((2 - 3.7) ** 2 + (1 - 2.8) ** 2 + (3 - 1) ** 2) / 3, { atol: 1e-5 });
});

check("the gradient reaches only Q(s_i, a_i): 2 (Q - y) / B", () => {
  const q = tensor([
    [0.5, 2],
    [1, 1],
    [0, 3],
  ]).requiresGrad();
  attempt.tdLoss(q, [1, 0, 1], [3.7, 2.8, 1]).backward();
  if (!q.grad) throw new Error("no gradient reached qValues");
  expectClose(
    q.grad.toArray(),
    [
      [0, (2 * (2 - 3.7)) / 3],
      [(2 * (1 - 2.8)) / 3, 0],
      [0, (2 * (3 - 1)) / 3],
    ],
    { atol: 1e-5 },
  );
});
