import { check, CheckFailure } from "scratch/check";
import * as attempt from "attempt";

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

check("shifting by the image size or more leaves only zeros", () => {
  const img = [
    [1, 2],
    [3, 4],
  ];
  expectGrid(
    attempt.shift(img, 2, 0),
    [
      [0, 0],
      [0, 0],
    ],
    "shift by 2 on a 2 × 2 image",
  );
  expectGrid(
    attempt.shift(img, 0, -5),
    [
      [0, 0],
      [0, 0],
    ],
    "shift by -5 rows on a 2 × 2 image",
  );
});

check("augment respects maxShift = 0", () => {
  const img = [
    [1, 2],
    [3, 4],
  ];
  expectGrid(
    attempt.augment(img, () => 0.99, 0),
    img,
    "augment with maxShift 0",
  );
});
