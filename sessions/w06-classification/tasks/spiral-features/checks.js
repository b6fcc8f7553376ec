import { check, expect } from "scratch/check";
import * as attempt from "attempt";

check("features gives one row of numbers per point", () => {
  const rows = attempt.features([
    [0.5, 0.1],
    [-0.2, 0.7],
    [0, 0],
  ]);
  expect(Array.isArray(rows) && rows.length === 3, "expected one row per point (an array of 3 rows)");
  const width = rows[0].length;
  expect(width > 0 && rows.every((r) => r.length === width), "every row needs the same number of features");
  expect(
    rows.flat().every(Number.isFinite),
    "a feature is NaN or infinite",
    "is the point (0, 0) a special case?",
  );
});

check("the raw coordinates are not enough", () => {
  expect(attempt.results.raw < 0.7, `raw accuracy ${attempt.results.raw}`);
});

check("with your features the classifier gets 90% of the spirals right", () => {
  expect(
    attempt.results.engineered >= 0.9,
    `accuracy with your features: ${attempt.results.engineered}`,
    "make each spiral arm a straight, separate region: see the hints",
  );
});
