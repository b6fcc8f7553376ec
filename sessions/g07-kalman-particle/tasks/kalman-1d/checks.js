import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("predict1d(1, 0.5, a = 0.9, q = 0.2) = { m: 0.9, P: 0.605 }", () => {
  const { m, P } = attempt.predict1d(1, 0.5, 0.9, 0.2);
  if (Math.abs(P - 0.65) < 1e-9) throw new Error("P- = 0.65: the variance scales with a^2, not a");
  expectClose([m, P], [0.9, 0.605]);
});

check("update1d with equal prior and measurement variance averages them", () => {
  const { m, P } = attempt.update1d(0, 1, 2, 1);
  expectClose([m, P], [1, 0.5]);
});

check("update1d(10, 3, 16, 1) trusts the sharper measurement: K = 3/4", () => {
  const { m, P } = attempt.update1d(10, 3, 16, 1);
  expectClose([m, P], [14.5, 0.75]);
});

check("for a random walk the variance converges to the Riccati fixed point", () => {
  const q = 0.5,
    r = 4;
  const Pinf = (-q + Math.sqrt(q * q + 4 * q * r)) / 2; // posterior variance: P = (P + q) r / (P + q + r)
  const { vars } = attempt.kalman1d(new Array(200).fill(0), { a: 1, q, r, m0: 0, P0: 10 });
  if (!vars || vars.length !== 200) throw new Error(`expected 200 variances, got ${vars && vars.length}`);
  expectClose(vars[199], Pinf, { rtol: 1e-6 });
});

check("kalman1d is predict then update, from m0 and P0", () => {
  const { means, vars } = attempt.kalman1d([2, 1], { a: 1, q: 1, r: 2, m0: 0, P0: 1 });
  // step 1: P- = 2, K = 1/2, m = 1, P = 1; step 2: P- = 2, K = 1/2, m = 1, P = 1
  expectClose(means, [1, 1]);
  expectClose(vars, [1, 1]);
});
