/** Given to the tasks of this pack: random numbers and two overlapping blobs with a bias feature. */
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
/** n points: class 1 around (1, 0.5), class 0 around (-1, -0.5), sd 1. Rows of X are [1, x1, x2]. */
export function blobs(n, seed) {
  const u = rng(seed);
  const X = [],
    y = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    X.push([1, (c ? 1 : -1) + normal(u), (c ? 0.5 : -0.5) + normal(u)]);
    y.push([c]);
  }
  return { X, y };
}
