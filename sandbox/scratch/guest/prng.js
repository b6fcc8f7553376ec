// @ts-check
/**
 * The seedable pseudo-random generator behind every random source of a run (tensors, data sets).
 * Internal: attendees reach it through `seed()`, `random()` and the data generators.
 */

/** mulberry32: a small, fast 32-bit generator; returns a function giving floats in [0, 1). */
export function mulberry32(state) {
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
