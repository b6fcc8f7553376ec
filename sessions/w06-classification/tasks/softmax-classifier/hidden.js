import { check, expect, expectClose } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";

check("probability rows sum to 1 even for large scores", () => {
  const P = attempt.probabilities(
    tensor([[100, -100]]),
    tensor([
      [1, 0],
      [0, 1],
    ]),
    tensor([0, 0]),
  );
  expectClose(P.sum(1), [1], { rtol: 1e-5 });
});

check("the trained classifier gets the training flowers right too", () => {
  const { Xtrain, ytrain } = attempt.split;
  const predicted = attempt.predict(Xtrain, attempt.trained.W, attempt.trained.b);
  const acc = predicted.filter((p, i) => p === ytrain[i]).length / ytrain.length;
  expect(acc >= 0.9, `training accuracy ${acc}, expected at least 0.9`);
});
