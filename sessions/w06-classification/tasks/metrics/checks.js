import { check, expect, expectClose } from "scratch/check";
import * as attempt from "attempt";

const truth = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2];
const pred = [0, 0, 1, 0, 1, 1, 2, 2, 2, 0, 2, 2];
const cm = [
  [3, 1, 0],
  [0, 2, 1],
  [1, 0, 4],
];

check("accuracy is 9 / 12", () => {
  expectClose(attempt.accuracy(pred, truth), 0.75);
});

check("confusion matrix: rows are true classes, columns predicted", () => {
  const got = attempt.confusionMatrix(pred, truth, 3);
  expect(Array.isArray(got) && got.length === 3, "expected a 3 x 3 array");
  expectClose(got, cm);
});

check("precision and recall per class", () => {
  const { precision, recall } = attempt.precisionRecall(cm);
  const p = [3 / 4, 2 / 3, 4 / 5];
  const r = [3 / 4, 2 / 3, 4 / 5];
  // class 0: column 3+0+1, row 3+1+0; class 1: column 1+2+0, row 0+2+1; class 2: column 0+1+4, row 1+0+4
  expectClose(precision, p, { what: "precision" });
  expectClose(recall, r, { what: "recall" });
});

check("precision and recall are not swapped", () => {
  const { precision, recall } = attempt.precisionRecall([
    [4, 0],
    [2, 2],
  ]);
  // class 0: predicted 6 times, right 4 times; present 4 times, found all 4
  expect(
    !(Math.abs(precision[0] - 1) < 1e-9 && Math.abs(recall[0] - 2 / 3) < 1e-9),
    "precision and recall look swapped",
    "precision divides by the column (how often the class was predicted), recall by the row",
  );
  expectClose(precision, [2 / 3, 1], { what: "precision" });
  expectClose(recall, [1, 0.5], { what: "recall" });
});
