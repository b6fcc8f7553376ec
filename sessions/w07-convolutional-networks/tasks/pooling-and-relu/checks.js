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

check("relu zeroes the negatives and leaves the input alone", () => {
  const input = [
    [-1, 2],
    [3, -4],
  ];
  expectGrid(
    attempt.relu(input),
    [
      [0, 2],
      [3, 0],
    ],
    "relu([[-1, 2], [3, -4]])",
    [
      [
        [
          [1, 2],
          [3, 4],
        ],
        "That is abs(): negatives become 0, not positive.",
      ],
    ],
  );
  if (input[0][0] !== -1)
    throw new CheckFailure("relu changed its input array; build a new one (map) instead");
});

check("maxPool keeps the largest value of every 2 × 2 block", () => {
  const map = [
    [1, 5, 2, 0],
    [3, 2, 8, 1],
    [0, 0, -1, -2],
    [4, 1, -3, -4],
  ];
  expectGrid(
    attempt.maxPool(map, 2),
    [
      [5, 8],
      [4, -1],
    ],
    "maxPool(4 × 4, 2)",
    [
      [
        [
          [2.75, 2.75],
          [1.25, -2.5],
        ],
        "Those are averages: max pooling takes the maximum.",
      ],
      [
        [
          [5, 8, 8],
          [3, 8, 8],
          [4, 1, -1],
        ],
        "Blocks must not overlap: step by size.",
      ],
    ],
  );
});

check("maxPool drops leftovers: 5 × 5 pools to 2 × 2", () => {
  const map = Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => i * 5 + j));
  expectGrid(
    attempt.maxPool(map, 2),
    [
      [6, 8],
      [16, 18],
    ],
    "maxPool(5 × 5, 2)",
  );
});
