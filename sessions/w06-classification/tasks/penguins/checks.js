import { check, expect, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("the majority baseline answers the most common training class", () => {
  // class 2 is most common in training; 2 of the 5 test labels are 2
  const got = attempt.majorityBaseline([2, 2, 1, 0, 2, 1], [0, 2, 1, 2, 1]);
  expect(
    Math.abs(got - 0.4) < 1e-9,
    `got ${got}, expected 0.4`,
    "use the TRAINING labels to choose the class, then score it on the test labels",
  );
});

check("F1 per class", () => {
  const cm = [
    [3, 1, 0],
    [0, 2, 1],
    [1, 0, 4],
  ];
  expectClose(attempt.f1Scores(cm), [0.75, 2 / 3, 0.8]);
  const skewed = [
    [4, 0],
    [2, 2],
  ];
  // class 0: P = 2/3, R = 1; class 1: P = 1, R = 1/2
  expectClose(attempt.f1Scores(skewed), [0.8, 2 / 3]);
});

check("macro F1 treats every class alike", () => {
  expectClose(
    attempt.macroF1([
      [4, 0],
      [2, 2],
    ]),
    (0.8 + 2 / 3) / 2,
  );
});

check("the classifier beats the baseline on the test penguins", () => {
  const { baseline, macroF1 } = attempt.report;
  expect(
    baseline < 0.6,
    `baseline accuracy ${baseline}: the most common species is under half of the penguins`,
  );
  expect(macroF1 > 0.9, `macro F1 ${macroF1}, expected above 0.9`);
});
