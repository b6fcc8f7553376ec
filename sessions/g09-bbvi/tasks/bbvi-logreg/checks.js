import { check } from "scratch/check";
import * as attempt from "attempt";
import { blobs } from "pack/blobs";

// MAP by Newton's method and the Hessian of -log p there, in plain JS.
const { X, y } = blobs(100, 1);
const priorSd = 2;
const sig = (l) => 1 / (1 + Math.exp(-l));
function hessianAndGradient(w) {
  const H = [0, 1, 2].map((a) => [0, 1, 2].map((b) => (a === b ? 1 / priorSd ** 2 : 0)));
  const g = w.map((wj) => wj / priorSd ** 2);
  X.forEach((row, i) => {
    const p = sig(row.reduce((s, x, j) => s + x * w[j], 0));
    for (let a = 0; a < 3; a++) {
      g[a] -= row[a] * (y[i][0] - p);
      for (let b = 0; b < 3; b++) H[a][b] += row[a] * row[b] * p * (1 - p);
    }
  });
  return { H, g };
}
function solve3(A, b) {
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < 3; c++) {
    for (let r = c + 1; r < 3; r++) {
      const f = M[r][c] / M[c][c];
      for (let k = c; k < 4; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = [0, 0, 0];
  for (let r = 2; r >= 0; r--) {
    let acc = M[r][3];
    for (let k = r + 1; k < 3; k++) acc -= M[r][k] * x[k];
    x[r] = acc / M[r][r];
  }
  return x;
}
let map = [0, 0, 0];
for (let it = 0; it < 20; it++) {
  const { H, g } = hessianAndGradient(map);
  const step = solve3(H, g);
  map = map.map((v, j) => v - step[j]);
}
const { H } = hessianAndGradient(map);
const { mu, sigma } = attempt.posterior;

check("the posterior mean is close to the MAP", () => {
  const off = mu.map((m, j) => Math.abs(m - map[j]));
  if (off.some((o) => o > 0.2))
    throw new Error(`mu = ${mu.map((v) => v.toFixed(3))}, MAP = ${map.map((v) => v.toFixed(3))}`);
});

check("sigma matches the mean-field Laplace value 1 / sqrt(H_jj)", () => {
  const want = [0, 1, 2].map((j) => 1 / Math.sqrt(H[j][j]));
  const ratios = sigma.map((s, j) => s / want[j]);
  if (ratios.some((r) => !(r > 0.7 && r < 1.3)))
    throw new Error(
      `sigma = ${sigma.map((v) => v.toFixed(3))}, expected about ${want.map((v) => v.toFixed(3))}`,
    );
});

check("the ELBO went up", () => {
  const h = attempt.posterior.history;
  const early = h.slice(0, 20).reduce((a, b) => a + b, 0) / 20,
    late = h.slice(-50).reduce((a, b) => a + b, 0) / 50;
  if (!(late > early + 5)) throw new Error(`ELBO early ${early.toFixed(2)}, late ${late.toFixed(2)}`);
});
