/** Given to the tasks of this pack: a balloon's altitude drifts as a random walk; a noisy altimeter reads it. */
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
export function altitudeData(T, { q, r, x0 = 100 }, seed) {
  const u = rng(seed);
  const xs = [],
    ys = [];
  let x = x0;
  for (let t = 0; t < T; t++) {
    x += Math.sqrt(q) * normal(u);
    xs.push(x);
    ys.push(x + Math.sqrt(r) * normal(u));
  }
  return { xs, ys };
}
