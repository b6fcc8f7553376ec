/** Given to the tasks of this pack: 8 x 8 "bar" images — one horizontal and one vertical bar, 64 possible images. */
export function rng(seed) {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** n images as a flat array of n * 64 pixels in {0, 1}, with the bar positions. */
export function barImages(n, u) {
  const pixels = [],
    rows = [],
    cols = [];
  for (let i = 0; i < n; i++) {
    const r = Math.floor(u() * 8),
      c = Math.floor(u() * 8);
    for (let p = 0; p < 64; p++) pixels.push(Math.floor(p / 8) === r || p % 8 === c ? 1 : 0);
    rows.push(r);
    cols.push(c);
  }
  return { pixels, rows, cols };
}
