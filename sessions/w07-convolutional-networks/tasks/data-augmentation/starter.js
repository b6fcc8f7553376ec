import { data, plot } from "scratch";

// Given: a seeded random number generator (mulberry32).
export function makeRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Content moves dx pixels right and dy pixels down; pixels from outside are 0.
export function shift(image, dx, dy) {
  return image.map((row) => row.slice()); // TODO
}

// A random shift in [-maxShift, maxShift] along each axis.
export function augment(image, rng, maxShift = 2) {
  return shift(image, 0, 0); // TODO
}

const { x } = data.mnist({ n: 4, seed: 0 });
const digit = (() => {
  const flat = x.toArray()[3].flat(Infinity);
  return Array.from({ length: 28 }, (_, r) => flat.slice(28 * r, 28 * r + 28));
})();
// Tile 4 × 4 augmented copies into one 112 × 112 picture.
const rng = makeRng(1);
const copies = Array.from({ length: 16 }, () => augment(digit, rng));
const tiled = Array.from({ length: 112 }, (_, r) =>
  Array.from(
    { length: 112 },
    (_, c) => copies[4 * Math.floor(r / 28) + Math.floor(c / 28)]?.[r % 28]?.[c % 28] ?? 0,
  ),
);
plot.image(tiled, { title: "16 augmented copies" });
console.log(
  "shift(digit, 3, 0) moved the ink right:",
  shift(digit, 3, 0)[14].indexOf(Math.max(...shift(digit, 3, 0)[14])) >
    digit[14].indexOf(Math.max(...digit[14])),
);
