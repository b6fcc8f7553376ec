import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("penalty([0, 1, 3], 2) = -2 (1 + 4) = -10", () => {
  const got = attempt.penalty([0, 1, 3], 2);
  if (got === 10)
    throw new Error("got +10: the penalty is subtracted from the log-likelihood, so it is negative");
  expectClose(got, -10);
});

check("penaltyGradient([0, 1, 3], 2) = [4, 4, -8]", () => {
  expectClose(attempt.penaltyGradient([0, 1, 3], 2), [4, 4, -8]);
});

check("penaltyGradient agrees with finite differences", () => {
  const w = [0.3, -0.5, 1.2, 0.8, 0.1];
  const g = attempt.penaltyGradient(w, 1.5);
  const fd = w.map((_, k) => {
    const up = w.slice(),
      dn = w.slice();
    up[k] += 1e-6;
    dn[k] -= 1e-6;
    return (attempt.penalty(up, 1.5) - attempt.penalty(dn, 1.5)) / 2e-6;
  });
  expectClose(g, fd, { rtol: 1e-4, atol: 1e-5 });
});

check("with lambda = 0, fit converges to the per-bin MLE log(mean count)", () => {
  const X = [],
    y = [];
  const counts = [
    [0, 1, 0, 1],
    [1, 1, 2, 0],
    [3, 1, 2, 2],
    [1, 2, 1, 2],
  ];
  for (let t = 0; t < 16; t++) {
    const k = t % 4;
    X.push([0, 1, 2, 3].map((j) => (j === k ? 1 : 0)));
    y.push(counts[k][Math.floor(t / 4)]);
  }
  const sums = [0, 0, 0, 0],
    n = [0, 0, 0, 0];
  y.forEach((v, t) => {
    sums[t % 4] += v;
    n[t % 4] += 1;
  });
  const want = sums.map((s, k) => Math.log(s / n[k]));
  const w = attempt.fit(X, y, { lambda: 0, lr: 1, steps: 2000 });
  expectClose(w, want, { rtol: 1e-3, atol: 1e-3 });
});
