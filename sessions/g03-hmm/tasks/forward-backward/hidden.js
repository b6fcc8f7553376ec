import { check } from "scratch/check";
import * as attempt from "attempt";
import { rng, truth } from "pack/model";

check("no underflow on a 5000-step sequence", () => {
  const { obs } = attempt.sampleHMM(5000, truth, rng(9));
  const fb = attempt.forwardBackward(obs, truth);
  if (!Number.isFinite(fb.logLik) || fb.logLik > 0 || fb.gamma.some((g) => !Number.isFinite(g[0])))
    throw new Error(
      `logLik = ${fb.logLik}: normalise alpha at every step and sum the logs of the normalisers`,
    );
});
