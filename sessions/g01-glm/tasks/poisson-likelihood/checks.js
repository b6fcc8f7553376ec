import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

function near(got, want, tol, what, hint = "") {
  if (typeof got !== "number" || !(Math.abs(got - want) <= tol)) {
    throw new Error(`${what}: expected ${want.toFixed(6)}, got ${got}${hint ? ` (${hint})` : ""}`);
  }
}

check("design puts one 1 in column floor(K p)", () => {
  expectClose(attempt.design([0.05, 0.5, 0.99, 0.25], 4), [
    [1, 0, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
    [0, 1, 0, 0],
  ]);
});

check("logLik matches the hand computation", () => {
  const X = [
    [1, 0],
    [0, 1],
    [1, 0],
  ];
  const y = [1, 0, 3];
  const w = [Math.log(2), 0];
  const want = 4 * Math.log(2) - 5 - Math.log(6);
  const got = attempt.logLik(w, X, y);
  const hint =
    Math.abs(got - (want + Math.log(6))) < 1e-6
      ? "the log y! term is missing"
      : Math.abs(got + want) < 1e-6
        ? "the sign is flipped"
        : "";
  near(got, want, 1e-9, "logLik([log 2, 0])", hint);
});

check("gradient is X^T (y - mu)", () => {
  const X = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
    [1, 0, 0],
    [0, 1, 0],
  ];
  const y = [2, 0, 1, 4, 1];
  const w = [0.3, -0.2, 0.1];
  const want = [0, 0, 0];
  X.forEach((row, t) =>
    row.forEach((x, k) => (want[k] += x * (y[t] - Math.exp(w[0] * row[0] + w[1] * row[1] + w[2] * row[2])))),
  );
  const got = attempt.gradient(w, X, y);
  if (got.every((g, k) => Math.abs(g + want[k]) < 1e-9))
    throw new Error("the gradient has the wrong sign: it is X^T (y - mu), not X^T (mu - y)");
  expectClose(got, want);
});

check("gradient agrees with finite differences of logLik", () => {
  const X = [
    [1, 0.5],
    [0.2, 1],
    [1, -1],
    [0, 0.3],
  ];
  const y = [1, 2, 0, 5];
  const w = [0.1, 0.4];
  const g = attempt.gradient(w, X, y);
  for (let k = 0; k < 2; k++) {
    const up = w.slice(),
      dn = w.slice();
    up[k] += 1e-5;
    dn[k] -= 1e-5;
    const fd = (attempt.logLik(up, X, y) - attempt.logLik(dn, X, y)) / 2e-5;
    near(g[k], fd, 1e-4, `d logLik / d w[${k}]`);
  }
});
