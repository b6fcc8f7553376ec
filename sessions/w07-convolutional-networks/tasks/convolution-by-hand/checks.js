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

const image = [
  [1, 2, 3, 0],
  [0, 1, 2, 3],
  [3, 0, 1, 2],
  [2, 3, 0, 1],
];
const kernel = [
  [2, 0],
  [0, -1],
];

check("outputSize follows floor((n + 2p - k) / s) + 1", () => {
  for (const [n, k, s, p, e] of [
    [28, 3, 1, 0, 26],
    [28, 3, 1, 1, 28],
    [28, 5, 2, 2, 14],
    [7, 3, 2, 0, 3],
    [6, 3, 2, 0, 2],
  ]) {
    const got = attempt.outputSize(n, k, s, p);
    if (got !== e)
      throw new CheckFailure(
        `outputSize(${n}, ${k}, stride ${s}, padding ${p}): expected ${e}, got ${got}${Number.isInteger(got) ? "" : " — round down with Math.floor"}`,
      );
  }
});

check("a 2 × 2 kernel over a 4 × 4 image (stride 1, no padding)", () => {
  // S(i,j) = 2·I(i,j) - I(i+1,j+1)
  const expected = [
    [1, 2, 3],
    [0, 1, 2],
    [3, 0, 1],
  ].map((row, i) => row.map((_, j) => 2 * image[i][j] - image[i + 1][j + 1]));
  const flipped = expected.map((row, i) => row.map((_, j) => -image[i][j] + 2 * image[i + 1][j + 1]));
  expectGrid(attempt.conv2d(image, kernel), expected, "conv2d(image, kernel)", [
    [flipped, "Looks like a flipped kernel: CNNs use cross-correlation, K(m, n) multiplies I(i + m, j + n)."],
  ]);
});

check("the identity kernel returns the image; stride 2 skips positions", () => {
  const identity = [
    [0, 0, 0],
    [0, 1, 0],
    [0, 0, 0],
  ];
  expectGrid(
    attempt.conv2d(image, identity, { padding: 1 }),
    image,
    "conv2d with the identity kernel and padding 1",
  );
  expectGrid(
    attempt.conv2d(image, kernel, { stride: 2 }),
    [
      [2 * 1 - 1, 2 * 3 - 3],
      [2 * 3 - 3, 2 * 1 - 1],
    ],
    "conv2d with stride 2",
    [
      [
        [
          [1, 4],
          [4, 1],
        ],
        "The output should start at the top-left and move 2 pixels per step: the input row is i * stride + m.",
      ],
    ],
  );
});
