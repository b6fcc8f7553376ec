import { plot, metrics } from "scratch";
import { rng, normal, cholesky, grid } from "pack/data";

export function rbf(a, b, { ell, sf }) {
  return sf * sf * Math.exp(-((a - b) ** 2) / (2 * ell * ell));
}

export function kernelMatrix(xs1, xs2, hyp) {
  return xs1.map((a) => xs2.map((b) => rbf(a, b, hyp)));
}

// ---- try it ---------------------------------------------------------------------------------------
const u = rng(2);
metrics.log("k(0, 1) with ell = 1, sf = 1", rbf(0, 1, { ell: 1, sf: 1 }));
for (const ell of [1.5, 0.3]) {
  const K = kernelMatrix(grid, grid, { ell, sf: 1 }).map((row, i) =>
    row.map((v, j) => v + (i === j ? 1e-6 : 0)),
  );
  const L = cholesky(K);
  for (let s = 0; s < 3; s++) {
    const z = grid.map(() => normal(u));
    const f = L.map((row) => row.reduce((acc, l, k) => acc + l * z[k], 0));
    plot.line(f, { x: grid, title: `prior sample ${s + 1}, ell = ${ell}` });
  }
}
console.log("k(0, 1) with ell = 1, sf = 1:", rbf(0, 1, { ell: 1, sf: 1 }));
