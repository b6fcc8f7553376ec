import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";
import { rng, truth } from "pack/model";

check("the log-likelihood never decreases", () => {
  const tr = attempt.trace;
  for (let i = 1; i < tr.length; i++)
    if (tr[i] < tr[i - 1] - 1e-6)
      throw new Error(`iteration ${i}: ${tr[i].toFixed(4)} < ${tr[i - 1].toFixed(4)}`);
  if (!(tr[tr.length - 1] > tr[0] + 10))
    throw new Error("the log-likelihood hardly moved: is emStep updating the parameters?");
});

check("emStep returns proper distributions", () => {
  const { obs } = attempt.sampleHMM(100, truth, rng(1));
  const p = attempt.emStep(obs, truth);
  expectClose(p.pi[0] + p.pi[1], 1);
  expectClose(
    p.A.map((r) => r[0] + r[1]),
    [1, 1],
  );
});

check("EM recovers the true means, spreads and transitions", () => {
  const p = attempt.learnt;
  const order = p.means[0] < p.means[1] ? [0, 1] : [1, 0];
  expectClose(
    order.map((k) => p.means[k]),
    truth.means,
    { atol: 0.15, rtol: 0 },
  );
  expectClose(
    order.map((k) => p.sds[k]),
    truth.sds,
    { atol: 0.1, rtol: 0 },
  );
  expectClose(
    order.map((k) => p.A[k][k]),
    [0.95, 0.9],
    { atol: 0.04, rtol: 0 },
  );
});
