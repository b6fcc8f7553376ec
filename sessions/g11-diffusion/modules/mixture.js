/** Given to the tasks of this pack: random numbers and the data: a mixture of three 2-D Gaussians. */
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
export const mixture = {
  weights: [0.5, 0.3, 0.2],
  means: [
    [-2, 0],
    [2, 1],
    [0.5, -2],
  ],
  sd: 0.3,
};
/** n points [x, y] from the mixture. */
export function sampleData(n, u) {
  return Array.from({ length: n }, () => {
    const r = u();
    const k = r < 0.5 ? 0 : r < 0.8 ? 1 : 2;
    return mixture.means[k].map((m) => m + mixture.sd * normal(u));
  });
}
export const betaMin = 0.1,
  betaMax = 20;
export const beta = (t) => betaMin + t * (betaMax - betaMin);
