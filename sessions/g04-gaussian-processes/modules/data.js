/** Given to the tasks of this pack: random numbers, the data and small dense linear algebra. */
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
/** 25 noisy observations of sin(x) on [0, 2 pi], noise sd 0.2. */
export function noisySine(n = 25, seed = 1) {
  const u = rng(seed);
  const x = Array.from({ length: n }, () => 2 * Math.PI * u()).sort((a, b) => a - b);
  return { x, y: x.map((xi) => Math.sin(xi) + 0.2 * normal(u)) };
}
/** Lower-triangular L with A = L L^T (A symmetric positive definite). */
export function cholesky(A) {
  const n = A.length;
  const L = A.map(() => new Array(n).fill(0));
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      L[i][j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j][j];
    }
  return L;
}
/** Solves L x = b (L lower-triangular). */
export function solveLower(L, b) {
  const x = [];
  for (let i = 0; i < L.length; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i][k] * x[k];
    x.push(s / L[i][i]);
  }
  return x;
}
/** Solves L^T x = b (L lower-triangular). */
export function solveUpper(L, b) {
  const n = L.length,
    x = new Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= L[k][i] * x[k];
    x[i] = s / L[i][i];
  }
  return x;
}
export const grid = Array.from({ length: 80 }, (_, i) => (i / 79) * 2 * Math.PI);
