import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

const k = (a, b) => Math.exp(-((a - b) ** 2) / 2); // ell = 1, sf = 1
const hyp = { ell: 1, sf: 1 };

check("one observation: mean = k(x*, 0) y / (1 + noise^2)", () => {
  const { mean } = attempt.posterior([0], [1], [0, 1, -2], hyp, 0.5);
  expectClose(
    mean,
    [0, 1, -2].map((s) => k(s, 0) / 1.25),
    { rtol: 1e-6, atol: 1e-9 },
  );
});

check("one observation: cov = k(a, b) - k(a, 0) k(b, 0) / (1 + noise^2)", () => {
  const xs = [0, 1, -2];
  const { cov } = attempt.posterior([0], [1], xs, hyp, 0.5);
  const want = xs.map((a) => xs.map((b) => k(a, b) - (k(a, 0) * k(b, 0)) / 1.25));
  expectClose(cov, want, { rtol: 1e-6, atol: 1e-9 });
});

check("two observations: matches the explicit 2x2 inverse", () => {
  const X = [0, 0.8],
    y = [0.5, -1],
    n2 = 0.09;
  const a = 1 + n2,
    b = k(0, 0.8),
    d = 1 + n2;
  const det = a * d - b * b;
  const inv = [
    [d / det, -b / det],
    [-b / det, a / det],
  ];
  const xs = [0.4, 2];
  const want = xs.map((s) => {
    const ks = [k(s, 0), k(s, 0.8)];
    return ks[0] * (inv[0][0] * y[0] + inv[0][1] * y[1]) + ks[1] * (inv[1][0] * y[0] + inv[1][1] * y[1]);
  });
  const wantVar = xs.map((s) => {
    const ks = [k(s, 0), k(s, 0.8)];
    return (
      1 - (ks[0] * (inv[0][0] * ks[0] + inv[0][1] * ks[1]) + ks[1] * (inv[1][0] * ks[0] + inv[1][1] * ks[1]))
    );
  });
  const got = attempt.posterior(X, y, xs, hyp, 0.3);
  expectClose(got.mean, want, { rtol: 1e-6, atol: 1e-9 });
  expectClose([got.cov[0][0], got.cov[1][1]], wantVar, { rtol: 1e-6, atol: 1e-9 });
});
