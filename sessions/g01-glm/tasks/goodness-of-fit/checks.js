import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("deviance of y = [0, 2, 1] under mu = [0.5, 1, 1] is 4 log 2 - 1", () => {
  const got = attempt.deviance([0, 2, 1], [0.5, 1, 1]);
  if (Number.isNaN(got)) throw new Error("got NaN: a zero count needs 0 log 0 = 0");
  expectClose(got, 4 * Math.log(2) - 1);
});

check("the saturated model has zero deviance", () => {
  expectClose(attempt.deviance([1, 3, 2], [1, 3, 2]), 0, { atol: 1e-12 });
});

check("pseudoR2 is 1 for the saturated model and 0 for the null model", () => {
  const y = [0, 2, 1, 4];
  const muNull = [1.75, 1.75, 1.75, 1.75];
  expectClose(attempt.pseudoR2(y, [1e-12, 2, 1, 4], muNull), 1, { atol: 1e-6 });
  expectClose(attempt.pseudoR2(y, muNull, muNull), 0, { atol: 1e-12 });
});

check("bitsPerSpike matches the hand computation", () => {
  const y = [2, 0, 1];
  const mu = [2, 0.5, 1];
  const mu0 = [1, 1, 1];
  const want = (2 * Math.log(2) - 1 + 0.5 + 0) / (3 * Math.LN2);
  const got = attempt.bitsPerSpike(y, mu, mu0);
  if (Math.abs(got - want * Math.LN2) < 1e-9)
    throw new Error("looks like nats per spike: divide by log 2 to get bits");
  expectClose(got, want);
});
