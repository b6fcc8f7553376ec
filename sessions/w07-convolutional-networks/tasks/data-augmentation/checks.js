import { check, CheckFailure } from "scratch/check";
import * as attempt from "attempt";

// Given: a seeded random number generator (mulberry32).
function makeRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Compares two 2-D arrays; throws naming the first element that differs, with a likely cause.
function expectGrid(got, expected, what, causes = []) {
  if (
    !Array.isArray(got) ||
    got.length !== expected.length ||
    !Array.isArray(got[0]) ||
    got[0].length !== expected[0].length
  )
    throw new CheckFailure(
      `${what}: expected a ${expected.length} × ${expected[0].length} array, got ${Array.isArray(got) ? `${got.length} × ${Array.isArray(got[0]) ? got[0].length : "?"}` : typeof got}`,
    );
  for (let i = 0; i < expected.length; i++)
    for (let j = 0; j < expected[0].length; j++)
      if (!(Math.abs(got[i][j] - expected[i][j]) < 1e-6)) {
        const cause = causes.find(([alt]) =>
          alt.every((row, a) => row.every((v, b) => Math.abs(v - got[a]?.[b]) < 1e-6)),
        );
        throw new CheckFailure(
          `${what}: element [${i}][${j}] expected ${expected[i][j]}, got ${got[i][j]}${cause ? ". " + cause[1] : ""}`,
        );
      }
}

const image = [
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 9],
];

check("shift(image, 1, 0) moves the content one pixel right", () => {
  expectGrid(
    attempt.shift(image, 1, 0),
    [
      [0, 1, 2],
      [0, 4, 5],
      [0, 7, 8],
    ],
    "shift(image, 1, 0)",
    [
      [
        [
          [2, 3, 0],
          [5, 6, 0],
          [8, 9, 0],
        ],
        "That moved left: read from column c - dx.",
      ],
      [
        [
          [0, 0, 0],
          [1, 2, 3],
          [4, 5, 6],
        ],
        "That moved down: dx is the column shift, dy the row shift.",
      ],
    ],
  );
});

check("shift(image, -1, 2) moves left and down, filling with zeros", () => {
  expectGrid(
    attempt.shift(image, -1, 2),
    [
      [0, 0, 0],
      [0, 0, 0],
      [2, 3, 0],
    ],
    "shift(image, -1, 2)",
  );
  if (image[0][0] !== 1) throw new CheckFailure("shift changed its input; return a new array");
});

check("augment draws every shift in [-2, 2] × [-2, 2] with rng", () => {
  const marker = Array.from({ length: 9 }, (_, r) =>
    Array.from({ length: 9 }, (_, c) => (r === 4 && c === 4 ? 1 : 0)),
  );
  const seen = new Map();
  const rng = makeRng(2);
  for (let i = 0; i < 500; i++) {
    const out = attempt.augment(marker, rng);
    let at = null;
    out.forEach((row, r) =>
      row.forEach((v, c) => {
        if (v === 1) at = [c - 4, r - 4];
      }),
    );
    if (!at)
      throw new CheckFailure(
        "the single bright pixel in the middle of a 9 × 9 image vanished: a shift of at most 2 must keep it",
      );
    if (Math.abs(at[0]) > 2 || Math.abs(at[1]) > 2)
      throw new CheckFailure(`a shift of (${at}) is larger than maxShift = 2`);
    seen.set(at.join(","), (seen.get(at.join(",")) ?? 0) + 1);
  }
  if (seen.size !== 25)
    throw new CheckFailure(
      `in 500 calls only ${seen.size} of the 25 possible shifts appeared (${[...seen.keys()].join(" ")}). Draw dx and dy independently from -2 to 2 inclusive.`,
    );
  const again = attempt.augment(marker, makeRng(9));
  const again2 = attempt.augment(marker, makeRng(9));
  if (JSON.stringify(again) !== JSON.stringify(again2))
    throw new CheckFailure(
      "augment with the same rng seed gave different images: use rng(), not Math.random()",
    );
});
