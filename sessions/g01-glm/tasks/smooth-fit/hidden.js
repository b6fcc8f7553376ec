import { check } from "scratch/check";
import * as attempt from "attempt";

check("a moderate penalty beats no penalty on held-out bins", () => {
  const h = attempt.heldOut;
  if (!h || !(h[3] > h[0]))
    throw new Error(
      `held-out log-likelihood with lambda = 3 (${h && h[3]}) should exceed lambda = 0 (${h && h[0]})`,
    );
});
