import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("activations agree with the definitions across the range", () => {
  for (const z of [-3.7, -1.1, -0.01, 0.4, 2.5, 6]) {
    expectClose(attempt.sigmoid(z), 1 / (1 + Math.exp(-z)), { rtol: 1e-9 });
    expectClose(attempt.tanh(z), Math.tanh(z), { rtol: 1e-9, atol: 1e-12 });
    expectClose(attempt.relu(z), Math.max(0, z));
  }
});

check("the neuron uses the bias and the activation it is given", () => {
  const identity = (z) => z;
  expectClose(attempt.neuron([2, -1, 0.5], [1, 3, -2], -0.5, identity), -2.5);
  expectClose(attempt.neuron([0, 0], [5, 5], 1.5, attempt.tanh), Math.tanh(1.5));
});
