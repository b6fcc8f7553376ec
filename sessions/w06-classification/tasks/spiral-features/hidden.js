import { check, expect } from "scratch/check";
import { data } from "scratch";
import * as attempt from "attempt";

check("the features also work on fresh spirals", () => {
  const { x, y } = data.spirals({ n: 100, classes: 3, seed: 11 });
  const labels = y.toArray();
  const predicted = attempt.results.predictor(x.toArray());
  const accuracy = predicted.filter((p, i) => p === labels[i]).length / labels.length;
  expect(accuracy >= 0.85, `accuracy on fresh spirals: ${accuracy}`);
});
