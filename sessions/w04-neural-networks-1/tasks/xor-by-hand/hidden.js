import { check, expect } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";

check("the network really uses its hidden layer (forward is unchanged)", () => {
  // The same weights through a forward pass written here must give XOR too.
  const { W1, b1, W2, b2 } = attempt.weights;
  const X = tensor([
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ]);
  const out = X.matmul(tensor(W1)).add(tensor(b1)).relu().matmul(tensor(W2)).add(tensor(b2)).toArray();
  const xor = [0, 1, 1, 0];
  out.forEach((row, i) =>
    expect(Math.abs(row[0] - xor[i]) < 1e-5, `input ${i}: expected ${xor[i]}, got ${row[0]}`),
  );
});
