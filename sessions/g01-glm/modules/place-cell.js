/** Given to the tasks of this pack: a seeded random source and a synthetic place cell. */
// A rat runs back and forth on a track; position p in [0, 1). The cell fires most near p = 0.6.
export function rng(seed) {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const trueRate = (p) => Math.exp(-1.5 + 2.5 * Math.exp(-((p - 0.6) ** 2) / (2 * 0.08 ** 2)));
export function placeCell(T, seed) {
  const u = rng(seed);
  const positions = [],
    counts = [];
  let p = u(),
    v = 0.02;
  for (let t = 0; t < T; t++) {
    p += v + 0.01 * (u() - 0.5);
    if (p < 0 || p >= 1) {
      v = -v;
      p = Math.min(Math.max(p, 0), 0.999);
    }
    let k = 0,
      prod = u();
    const L = Math.exp(-trueRate(p));
    while (prod > L) {
      k++;
      prod *= u();
    } // Knuth's Poisson sampler
    positions.push(p);
    counts.push(k);
  }
  return { positions, counts };
}
