import { check, expectClose, expectShape } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";

const X = tensor([
  [1, 2],
  [3, 4],
  [5, 9],
]);

check("columnMeans gives one mean per column", () => {
  const got = attempt.columnMeans(X);
  if (got.shape.length === 1 && got.shape[0] === 3) {
    throw new Error("got 3 means, one per row: average over axis 0 (down the rows), not axis 1");
  }
  expectShape(got, [2]);
  expectClose(got.toArray(), [3, 5]);
});

check("centre makes every column average 0", () => {
  const got = attempt.centre(X);
  expectShape(got, [3, 2]);
  expectClose(got.toArray(), [
    [-2, -3],
    [0, -1],
    [2, 4],
  ]);
});

check("gram is X^T X", () => {
  const got = attempt.gram(X);
  if (got.shape.length === 2 && got.shape[0] === 3 && got.shape[1] === 3)
    throw new Error("got shape [3, 3], which is X X^T: transpose the first factor, not the second");
  expectShape(got, [2, 2]);
  expectClose(got.toArray(), [
    [35, 59],
    [59, 101],
  ]);
});
