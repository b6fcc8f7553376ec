import { plot } from "scratch";

/** A seeded generator (mulberry32), so everyone gets the same points. */
function random(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Points of sin(pi x) on [-1, 1] with Gaussian noise of standard deviation 0.2. */
export function sinePoints(n, seed) {
  const next = random(seed);
  const x = [];
  const y = [];
  for (let i = 0; i < n; i++) {
    const xi = 2 * next() - 1;
    const noise = Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
    x.push(xi);
    y.push(Math.sin(Math.PI * xi) + 0.2 * noise);
  }
  return { x, y };
}

/** Least squares with a bias: solves the normal equations by Gaussian elimination. */
export function fitLeastSquares(rows, ys) {
  const A = rows.map((r) => [1, ...r]);
  const k = A[0].length;
  const M = Array.from({ length: k }, (_, i) =>
    Array.from({ length: k + 1 }, (_, j) => {
      let s = 0;
      for (let r = 0; r < A.length; r++) s += A[r][i] * (j < k ? A[r][j] : ys[r]);
      return s + (i === j ? 1e-9 : 0);
    }),
  );
  for (let c = 0; c < k; c++) {
    let pivot = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(M[r][c]) > Math.abs(M[pivot][c])) pivot = r;
    [M[c], M[pivot]] = [M[pivot], M[c]];
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = M[r][c] / M[c][c];
      for (let j = c; j <= k; j++) M[r][j] -= f * M[c][j];
    }
  }
  const coef = M.map((row, i) => row[k] / row[i]);
  return { b: coef[0], w: coef.slice(1) };
}

export function predictRows(rows, model) {
  return rows.map((r) => r.reduce((s, v, j) => s + v * model.w[j], model.b));
}

export function polyFeatures(xs, degree) {
  // TODO: [x, x^2, ..., x^degree] for every x
  return xs.map((x) => [x]);
}

export function mse(pred, ys) {
  // TODO: the mean of the squared differences
  return 0;
}

export function errorsByDegree(train, test, maxDegree) {
  const errors = { train: [], test: [] };
  // TODO: for degree 1..maxDegree, fit on the train points and record both errors
  return errors;
}

export function bestDegree(errors) {
  // TODO: the degree (not the index!) with the lowest test error
  return 1;
}

const train = sinePoints(12, 1);
const test = sinePoints(200, 2);
const errors = errorsByDegree(train, test, 11);
console.log("best degree:", bestDegree(errors));
const degrees = errors.train.map((_, i) => i + 1);
plot.line(
  { "train MSE": errors.train, "test MSE": errors.test.map((e) => Math.min(e, 2)) },
  {
    x: degrees,
    title: "error against polynomial degree (test capped at 2)",
    xLabel: "degree",
    yLabel: "MSE",
  },
);
const grid = Array.from({ length: 101 }, (_, i) => -1 + i / 50);
const xs = [...train.x];
const ys = [...train.y];
const labels = train.x.map(() => 0);
for (const d of [1, 3, 11]) {
  const fit = predictRows(polyFeatures(grid, d), fitLeastSquares(polyFeatures(train.x, d), train.y));
  xs.push(...grid);
  ys.push(...fit.map((v) => Math.max(-2, Math.min(2, v))));
  labels.push(...grid.map(() => d));
}
plot.scatter(xs, ys, {
  labels,
  title: "training points (0) and fits of degree 1, 3 and 11",
  xLabel: "x",
  yLabel: "y",
});
