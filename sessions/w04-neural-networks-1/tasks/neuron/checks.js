import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("dot([1, 2, 3], [4, -5, 6]) is 12", () => {
  expectClose(attempt.dot([1, 2, 3], [4, -5, 6]), 12);
});

check("relu clips negatives to 0 and keeps positives", () => {
  expectClose([-2, 0, 3].map(attempt.relu), [0, 0, 3]);
});

check("sigmoid(0) is 1/2 and sigmoid(2) is 0.8808", () => {
  const got = [0, 2].map(attempt.sigmoid);
  if (Math.abs(got[1] - 0.1192) < 1e-3)
    throw new Error("sigmoid(2) came out as 0.119: use exp(-z), not exp(z)");
  expectClose(got, [0.5, 1 / (1 + Math.exp(-2))]);
});

check("tanh(1) is 0.7616 and tanh is odd", () => {
  expectClose(attempt.tanh(1), Math.tanh(1));
  expectClose(attempt.tanh(-0.5), -Math.tanh(0.5));
});

check("neuron([1, 2], [0.5, -1], 0.25, relu) is 0 and with sigmoid 0.2227", () => {
  expectClose(attempt.neuron([1, 2], [0.5, -1], 0.25, attempt.relu), 0);
  expectClose(attempt.neuron([1, 2], [0.5, -1], 0.25, attempt.sigmoid), 1 / (1 + Math.exp(1.25)));
});
