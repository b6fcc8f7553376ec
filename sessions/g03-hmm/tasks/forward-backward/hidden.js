import { check } from "scratch/check";
import * as attempt from "attempt";

check("no underflow on a 5000-step sequence", () => {
  const { obs } = attempt.sampleHMM(5000, attempt.truth, attempt.rng(9));
  const fb = attempt.forwardBackward(obs, attempt.truth);
  if (!Number.isFinite(fb.logLik) || fb.logLik > 0 || fb.gamma.some((g) => !Number.isFinite(g[0])))
    throw new Error(
      `logLik = ${fb.logLik}: normalise alpha at every step and sum the logs of the normalisers`,
    );
});
