import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

// An independent log density of the diffused mixture.
const W = [0.5, 0.3, 0.2],
  M = [
    [-2, 0],
    [2, 1],
    [0.5, -2],
  ],
  S = 0.3;
function logp(x, t) {
  const a = Math.exp(-(0.1 * t + 0.5 * 19.9 * t * t));
  const v = a * S * S + 1 - a;
  const p = W.reduce(
    (s, w, k) =>
      s +
      (w *
        Math.exp(-((x[0] - Math.sqrt(a) * M[k][0]) ** 2 + (x[1] - Math.sqrt(a) * M[k][1]) ** 2) / (2 * v))) /
        (2 * Math.PI * v),
    0,
  );
  return Math.log(p);
}
const points = [
  [0, 0],
  [-1.5, 0.4],
  [1.8, 1.2],
  [0.3, -1.5],
  [3, -3],
];

check("logDensity matches the mixture density", () => {
  for (const t of [0.1, 0.4])
    expectClose(
      points.map((p) => attempt.logDensity(p, t)),
      points.map((p) => logp(p, t)),
      { rtol: 1e-8, atol: 1e-8 },
    );
});

check("score matches finite differences of log p_t", () => {
  for (const t of [0.05, 0.3, 0.8]) {
    const want = points.map((p) =>
      [0, 1].map((i) => {
        const up = p.slice(),
          dn = p.slice();
        up[i] += 1e-5;
        dn[i] -= 1e-5;
        return (logp(up, t) - logp(dn, t)) / 2e-5;
      }),
    );
    expectClose(
      points.map((p) => attempt.score(p, t)),
      want,
      { rtol: 1e-4, atol: 1e-4, what: `t = ${t}` },
    );
  }
});

check("score stays finite far from every mode (log-sum-exp)", () => {
  const s = attempt.score([40, -40], 0.001);
  if (!s.every(Number.isFinite))
    throw new Error(`score([40, -40], 0.001) = ${s}: use the log-sum-exp trick for the responsibilities`);
});
