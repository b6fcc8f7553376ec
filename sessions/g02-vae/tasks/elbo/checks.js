import { check, expectClose } from "scratch/check";
import { tensor } from "scratch";
import * as attempt from "attempt";

const scalar = (t) => {
  const v = t && typeof t.toArray === "function" ? t.toArray() : t;
  return Array.isArray(v) ? v.flat(Infinity)[0] : v;
};
const sp = (l) => Math.log1p(Math.exp(l));

check("softplus matches log(1 + e^l) and does not overflow", () => {
  const got = attempt.softplus(tensor([-3, 0, 2, 100])).toArray();
  if (!Number.isFinite(got[3]))
    throw new Error(`softplus(100) = ${got[3]}: use max(l, 0) + log(1 + exp(-|l|))`);
  expectClose(got, [sp(-3), Math.log(2), sp(2), 100], { rtol: 1e-5, atol: 1e-5 });
});

check("bernoulliLogLik of a hand-made batch", () => {
  const x = tensor([
    [1, 0],
    [0, 1],
  ]);
  const logits = tensor([
    [0, 2],
    [-1, 3],
  ]);
  const want = (0 - Math.log(2) - sp(2) + (-sp(-1) + 3 - sp(3))) / 2;
  const got = scalar(attempt.bernoulliLogLik(x, logits));
  if (Math.abs(got - 2 * want) < 1e-4) throw new Error("got the batch sum: divide by the batch size");
  expectClose(got, want, { rtol: 1e-5, atol: 1e-5 });
});

check("negativeElbo = -loglik + KL", () => {
  const x = tensor([[1, 0, 1]]);
  const logits = tensor([[1, -1, 0.5]]);
  const mu = tensor([[0.5, -1]]),
    logvar = tensor([[0, Math.log(2)]]);
  const ll = 1 - sp(1) - sp(-1) + 0.5 - sp(0.5);
  const kl = -0.5 * (1 + 0 - 0.25 - 1 + (1 + Math.log(2) - 1 - 2));
  expectClose(scalar(attempt.negativeElbo(x, logits, mu, logvar)), -ll + kl, { rtol: 1e-5, atol: 1e-5 });
});

check("d(-loglik)/dlogits = sigmoid(logits) - x, over the batch size", () => {
  const logits = tensor([
    [0.3, -2],
    [1, 0.2],
  ]).requiresGrad();
  attempt
    .bernoulliLogLik(
      tensor([
        [1, 0],
        [0, 1],
      ]),
      logits,
    )
    .neg()
    .backward();
  const s = (v) => 1 / (1 + Math.exp(-v));
  expectClose(
    logits.grad.toArray(),
    [
      [(s(0.3) - 1) / 2, s(-2) / 2],
      [s(1) / 2, (s(0.2) - 1) / 2],
    ],
    { atol: 1e-5 },
  );
});
