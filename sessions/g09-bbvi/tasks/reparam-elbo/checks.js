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
const mu = [0.2, -0.4, 0.7],
  logSigma = [-1, -0.5, 0];
const eps = [
  [0.3, -1.2],
  [1.1, 0.4],
  [-0.7, 0.9],
]; // d = 3, S = 2
const priorSd = 1.5;
const sp = (l) => Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));
const sig = (l) => 1 / (1 + Math.exp(-l));
const logJoint = (w) =>
  X.reduce((s, row, i) => {
    const l = row.reduce((a, x, j) => a + x * w[j], 0);
    return s + y[i] * l - sp(l);
  }, 0) -
  w.reduce((s, v) => s + v * v, 0) / (2 * priorSd ** 2) -
  1.5 * Math.log(2 * Math.PI * priorSd ** 2);
const gradLogJoint = (w) =>
  w.map(
    (wj, j) =>
      X.reduce((s, row, i) => s + row[j] * (y[i] - sig(row.reduce((a, x, k) => a + x * w[k], 0))), 0) -
      wj / priorSd ** 2,
  );
const samples = [0, 1].map((s) => mu.map((m, j) => m + Math.exp(logSigma[j]) * eps[j][s]));
const entropy = logSigma.reduce((a, b) => a + b, 0) + 1.5 * Math.log(2 * Math.PI * Math.E);
const col = (v) => tensor(v.map((x) => [x]));
const scalar = (t) => {
  const v = t && typeof t.toArray === "function" ? t.toArray() : t;
  return Array.isArray(v) ? v.flat(Infinity)[0] : v;
};

check("the ELBO estimate averages the log joint over the samples and adds the entropy", () => {
  const want = (logJoint(samples[0]) + logJoint(samples[1])) / 2 + entropy;
  const got = scalar(attempt.elbo(col(mu), col(logSigma), tensor(eps), tensor(X), col(y), priorSd));
  if (Math.abs(got - (want - entropy)) < 1e-3) throw new Error("the entropy term is missing");
  expectClose(got, want, { rtol: 1e-5, atol: 1e-4 });
});

check("dELBO/dmu = average of grad log p(y, w_s)", () => {
  const m = col(mu).requiresGrad(),
    ls = col(logSigma).requiresGrad();
  attempt.elbo(m, ls, tensor(eps), tensor(X), col(y), priorSd).backward();
  const g = [0, 1].map((s) => gradLogJoint(samples[s]));
  expectClose(
    m.grad.toArray().flat(),
    mu.map((_, j) => (g[0][j] + g[1][j]) / 2),
    { rtol: 1e-4, atol: 1e-5 },
  );
});

check("dELBO/dlogSigma = average of grad log p(y, w_s) * eps_s * sigma, plus 1", () => {
  const m = col(mu).requiresGrad(),
    ls = col(logSigma).requiresGrad();
  attempt.elbo(m, ls, tensor(eps), tensor(X), col(y), priorSd).backward();
  const g = [0, 1].map((s) => gradLogJoint(samples[s]));
  const want = mu.map(
    (_, j) => ((g[0][j] * eps[j][0] + g[1][j] * eps[j][1]) / 2) * Math.exp(logSigma[j]) + 1,
  );
  expectClose(ls.grad.toArray().flat(), want, { rtol: 1e-4, atol: 1e-5 });
});
