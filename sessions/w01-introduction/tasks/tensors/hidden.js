import { check, expectClose, expectShape } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";

const Y = tensor([
  [0.5, -1, 2],
  [1.5, 1, -2],
  [4, 0, 0],
  [-2, 4, 4],
]);

check("columnMeans of a 4 x 3 table", () => {
  expectClose(attempt.columnMeans(Y).toArray(), [1, 1, 1]);
});

check("centre of a 4 x 3 table has zero column means", () => {
  const got = attempt.centre(Y);
  expectShape(got, [4, 3]);
  expectClose(got.mean(0).toArray(), [0, 0, 0], { atol: 1e-6 });
});

check("gram of a 4 x 3 table is symmetric and correct", () => {
  expectClose(attempt.gram(Y).toArray(), [
    [22.5, -7, -10],
    [-7, 18, 12],
    [-10, 12, 24],
  ]);
});
