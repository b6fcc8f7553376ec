import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("a class that is never predicted has precision 0, not NaN", () => {
  const cm = attempt.confusionMatrix([0, 0, 0, 1], [0, 2, 2, 1], 3);
  expectClose(cm, [
    [1, 0, 0],
    [0, 1, 0],
    [2, 0, 0],
  ]);
  const { precision, recall } = attempt.precisionRecall(cm);
  expectClose(precision, [1 / 3, 1, 0], { what: "precision" });
  expectClose(recall, [1, 1, 0], { what: "recall" });
});

check("accuracy of a perfect and of a hopeless classifier", () => {
  expectClose(attempt.accuracy([1, 2, 0], [1, 2, 0]), 1);
  expectClose(attempt.accuracy([1, 2, 0], [0, 1, 2]), 0);
});
