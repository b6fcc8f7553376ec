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

check("featureMaps: conv (padding 1) → ReLU → 2 × 2 pool", () => {
  const image = Array.from({ length: 4 }, (_, i) => Array.from({ length: 4 }, (_, j) => (j >= 2 ? 1 : 0)));
  const right = [
    [0, 0, 0],
    [0, 0, 1],
    [0, 0, 0],
  ];
  const left = [
    [0, 0, 0],
    [1, 0, 0],
    [0, 0, 0],
  ];
  const maps = attempt.featureMaps(image, [
    right,
    [
      [0, 0, 0],
      [0, -1, 0],
      [0, 0, 0],
    ],
    left,
  ]);
  if (!Array.isArray(maps) || maps.length !== 3)
    throw new CheckFailure(`expected 3 maps, got ${maps?.length}`);
  expectGrid(
    maps[0],
    [
      [1, 1],
      [1, 1],
    ],
    "map of the 'right neighbour' kernel",
  );
  expectGrid(
    maps[1],
    [
      [0, 0],
      [0, 0],
    ],
    "map of the negative identity kernel (ReLU must remove it)",
  );
  expectGrid(
    maps[2],
    [
      [0, 1],
      [0, 1],
    ],
    "map of the 'left neighbour' kernel",
  );
});
