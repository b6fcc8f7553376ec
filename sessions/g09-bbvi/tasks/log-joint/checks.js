import { check, expectClose } from "scratch/check";
import { tensor } from "scratch";
import * as attempt from "attempt";

const X = [
  [1, 0.5, -1],
  [1, -2, 0.3],
  [1, 1, 1],
  [1, 0, -0.5],
];
const y = [1, 0, 1, 0];
const w = [0.2, -0.4, 0.7];
const sp = (l) => Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));
const logits = X.map((row) => row.reduce((s, x, j) => s + x * w[j], 0));
const scalar = (t) => {
  const v = t && typeof t.toArray === "function" ? t.toArray() : t;
  return Array.isArray(v) ? v.flat(Infinity)[0] : v;
};

check("logJoint = log-likelihood + log prior", () => {
  const ll = logits.reduce((s, l, i) => s + y[i] * l - sp(l), 0);
  const lp = -w.reduce((s, v) => s + v * v, 0) / (2 * 1.5 ** 2) - 1.5 * Math.log(2 * Math.PI * 1.5 ** 2);
  const got = scalar(attempt.logJoint(tensor(w.map((v) => [v])), tensor(X), tensor(y.map((v) => [v])), 1.5));
  if (Math.abs(got - ll) < 1e-4) throw new Error("matches the log-likelihood alone: add the log prior");
  expectClose(got, ll + lp, { rtol: 1e-5, atol: 1e-5 });
});

check("autograd gradient = X^T (y - sigmoid(Xw)) - w / priorSd^2", () => {
  const wt = tensor(w.map((v) => [v])).requiresGrad();
  attempt.logJoint(wt, tensor(X), tensor(y.map((v) => [v])), 1.5).backward();
  const want = w.map(
    (wj, j) => X.reduce((s, row, i) => s + row[j] * (y[i] - 1 / (1 + Math.exp(-logits[i]))), 0) - wj / 2.25,
  );
  expectClose(wt.grad.toArray().flat(), want, { rtol: 1e-4, atol: 1e-5 });
});

check("no overflow for huge logits", () => {
  const got = scalar(attempt.logJoint(tensor([[0], [100], [0]]), tensor([[1, 2, 0]]), tensor([[0]]), 1));
  if (!Number.isFinite(got)) throw new Error(`got ${got}: use the stable softplus`);
  expectClose(got, -200 - 5000 - 1.5 * Math.log(2 * Math.PI), { rtol: 1e-4 });
});
