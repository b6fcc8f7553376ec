import { plot, metrics } from "scratch";

// ---- given: the balloon drifts with the wind; GPS fixes of its position are noisy ----------------
export function rng(seed) {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const normal = (u) => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
// State [x, y, vx, vy]; one step per second; the wind (velocity) does a small random walk.
export const F = [
  [1, 0, 1, 0],
  [0, 1, 0, 1],
  [0, 0, 1, 0],
  [0, 0, 0, 1],
];
export const H = [
  [1, 0, 0, 0],
  [0, 1, 0, 0],
];
export const Q = [
  [0.01, 0, 0, 0],
  [0, 0.01, 0, 0],
  [0, 0, 0.05, 0],
  [0, 0, 0, 0.05],
];
export const R = [
  [25, 0],
  [0, 25],
];
export function balloonData(T, seed) {
  const u = rng(seed);
  let s = [0, 0, 2, 1];
  const states = [],
    fixes = [];
  for (let t = 0; t < T; t++) {
    s = [
      s[0] + s[2] + 0.1 * normal(u),
      s[1] + s[3] + 0.1 * normal(u),
      s[2] + Math.sqrt(0.05) * normal(u),
      s[3] + Math.sqrt(0.05) * normal(u),
    ];
    states.push(s);
    fixes.push([s[0] + 5 * normal(u), s[1] + 5 * normal(u)]);
  }
  return { states, fixes };
}
// Small dense matrix helpers: matrices are arrays of rows, vectors plain arrays.
export const matmul = (A, B) =>
  A.map((row) => B[0].map((_, j) => row.reduce((s, a, k) => s + a * B[k][j], 0)));
export const matvec = (A, v) => A.map((row) => row.reduce((s, a, k) => s + a * v[k], 0));
export const transpose = (A) => A[0].map((_, j) => A.map((row) => row[j]));
export const add = (A, B) => A.map((row, i) => row.map((a, j) => a + B[i][j]));
export const sub = (A, B) => A.map((row, i) => row.map((a, j) => a - B[i][j]));
export const eye = (n) =>
  Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
/** Inverse by Gauss-Jordan elimination with partial pivoting (small matrices). */
export function inverse(A) {
  const n = A.length;
  const M = A.map((row, i) => [...row, ...eye(n)[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    const d = M[c][c];
    M[c] = M[c].map((v) => v / d);
    for (let r = 0; r < n; r++) if (r !== c) M[r] = M[r].map((v, j) => v - M[r][c] * M[c][j]);
  }
  return M.map((row) => row.slice(n));
}
// ---------------------------------------------------------------------------------------------------

export function kalmanPredict(m, P, F, Q) {
  return { m: matvec(F, m), P: add(matmul(matmul(F, P), transpose(F)), Q) };
}

export function kalmanUpdate(m, P, y, H, R) {
  const S = add(matmul(matmul(H, P), transpose(H)), R);
  const K = matmul(matmul(P, transpose(H)), inverse(S));
  const innovation = y.map((yi, i) => yi - matvec(H, m)[i]);
  return {
    m: m.map((mi, i) => mi + matvec(K, innovation)[i]),
    P: matmul(sub(eye(m.length), matmul(K, H)), P),
  };
}

export function trackBalloon(fixes, { F, H, Q, R, m0, P0 }) {
  let m = m0,
    P = P0;
  const means = [],
    covs = [];
  for (const y of fixes) {
    ({ m, P } = kalmanPredict(m, P, F, Q));
    ({ m, P } = kalmanUpdate(m, P, y, H, R));
    means.push(m);
    covs.push(P);
  }
  return { means, covs };
}

// ---- try it ---------------------------------------------------------------------------------------
const { states, fixes } = balloonData(120, 4);
const P0 = [
  [100, 0, 0, 0],
  [0, 100, 0, 0],
  [0, 0, 10, 0],
  [0, 0, 0, 10],
];
export const track = trackBalloon(fixes, { F, H, Q, R, m0: [0, 0, 0, 0], P0 });
if (track.means.length === states.length) {
  const err = (k, est) =>
    Math.sqrt(states.reduce((s, st, t) => s + (est[t][k] - st[k]) ** 2, 0) / states.length);
  console.log(
    `position RMSE: fixes ${err(0, fixes).toFixed(2)} m, filter ${err(0, track.means).toFixed(2)} m`,
  );
  metrics.log("position RMSE of the filter", err(0, track.means));
  console.log(`wind (vx) RMSE of the filter: ${err(2, track.means).toFixed(3)} m/s`);
  // One scatter, coloured by label: 0 the true track, 1 the GPS fixes, 2 the Kalman track.
  const points = [...states, ...fixes, ...track.means];
  plot.scatter(
    points.map((p) => p[0]),
    points.map((p) => p[1]),
    {
      labels: points.map((_, i) => Math.floor(i / states.length)),
      title: "true track (0), GPS fixes (1), Kalman track (2)",
    },
  );
  plot.line(
    { "true wind vx": states.map((s) => s[2]), "estimated vx": track.means.map((m) => m[2]) },
    { title: "the wind the GPS never measured", xLabel: "t" },
  );
}
