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

check("a box kernel with padding sums each 3 × 3 neighbourhood, zeros outside", () => {
  const ones = Array.from({ length: 5 }, () => new Array(5).fill(1));
  const box = [
    [1, 1, 1],
    [1, 1, 1],
    [1, 1, 1],
  ];
  const expected = Array.from({ length: 5 }, (_, i) =>
    Array.from({ length: 5 }, (_, j) => (i === 0 || i === 4 ? 2 : 3) * (j === 0 || j === 4 ? 2 : 3)),
  );
  expectGrid(attempt.conv2d(ones, box, { padding: 1 }), expected, "box kernel over ones", [
    [
      Array.from({ length: 5 }, () => new Array(5).fill(9)),
      "Border pixels see fewer image pixels: padding is zeros, not a copy of the edge.",
    ],
  ]);
});

check("stride 2 with padding 1 on a 5 × 5 ramp", () => {
  const ramp = Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => i * 5 + j));
  const k = [
    [0, 0, 0],
    [0, 0, 1],
    [0, 0, 0],
  ]; // picks the right neighbour
  const expected = [0, 1, 2].map((i) => [0, 1, 2].map((j) => (2 * j + 1 < 5 ? ramp[2 * i][2 * j + 1] : 0)));
  expectGrid(attempt.conv2d(ramp, k, { stride: 2, padding: 1 }), expected, "stride 2 with padding 1");
});
