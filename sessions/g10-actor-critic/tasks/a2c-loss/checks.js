import { check, expectClose } from "scratch/check";
import { tensor } from "scratch";
import * as attempt from "attempt";

const L = [
  [0.2, -0.1, 0.5],
  [1, 0, -1],
];
const V = [1, 2];
const actions = [2, 0];
const G = [3, 1.5];
const softmax = (row) => {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
const pi = L.map(softmax);
const A = G.map((g, i) => g - V[i]);
const run = (opts) => {
  const logits = tensor(L).requiresGrad();
  const values = tensor(V.map((v) => [v])).requiresGrad();
  const parts = attempt.a2cLoss(logits, values, actions, G, opts);
  return { logits, values, parts };
};

check("the three terms have the right values", () => {
  const { parts } = run({ valueCoef: 0.5, entropyCoef: 0.01 });
  expectClose(parts.policyLoss.item(), -(Math.log(pi[0][2]) * A[0] + Math.log(pi[1][0]) * A[1]) / 2, {
    rtol: 1e-5,
    atol: 1e-6,
  });
  expectClose(parts.valueLoss.item(), (A[0] ** 2 + A[1] ** 2) / 2, { rtol: 1e-5 });
  expectClose(
    parts.entropy.item(),
    -pi.reduce((s, p) => s + p.reduce((a, q) => a + q * Math.log(q), 0), 0) / 2,
    { rtol: 1e-5 },
  );
});

check("actor gradient: dL/dlogits = -(onehot - pi) * A / B (entropy off)", () => {
  const { logits, parts } = run({ valueCoef: 0.5, entropyCoef: 0 });
  parts.loss.backward();
  const want = L.map((row, t) => row.map((_, k) => (-((k === actions[t] ? 1 : 0) - pi[t][k]) * A[t]) / 2));
  expectClose(logits.grad.toArray(), want, { atol: 1e-5 });
});

check("critic gradient: dL/dV = 2 valueCoef (V - G) / B — advantages are constants", () => {
  const { values, parts } = run({ valueCoef: 0.5, entropyCoef: 0 });
  parts.loss.backward();
  const got = values.grad.toArray().flat();
  const want = V.map((v, t) => (2 * 0.5 * (v - G[t])) / 2);
  const withActor = want.map((w, t) => w + Math.log(pi[t][actions[t]]) / 2);
  if (got.every((g, t) => Math.abs(g - withActor[t]) < 1e-5))
    throw new Error(
      "the actor term sends gradient into the critic: compute the advantages from values.toArray()",
    );
  expectClose(got, want, { atol: 1e-5 });
});
