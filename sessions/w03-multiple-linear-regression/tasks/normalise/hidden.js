import { check, expectClose } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";

check("Z is exactly (X - mean) / std element by element", () => {
  const X = tensor([
    [0.1, -3, 1000],
    [0.3, 5, 3000],
    [0.2, 1, 2000],
  ]);
  // every column is (low, high, middle) with the middle at the mean: z = -1/s, 1/s, 0 with s = sqrt(2/3)
  const z = 1 / Math.sqrt(2 / 3);
  const { Z } = attempt.normalise(X);
  expectClose(
    Z.toArray(),
    [
      [-z, -z, -z],
      [z, z, z],
      [0, 0, 0],
    ],
    { rtol: 1e-4, atol: 1e-5 },
  );
});
