import { check, CheckFailure } from "scratch/check";
import { randn, tidy, noGrad } from "scratch";
import * as attempt from "attempt";

check("a single digit (batch of 1) works too", () => {
  const shape = tidy(() => noGrad(() => attempt.model.forward(randn([1, 784])).shape));
  if (shape.join(",") !== "1,10")
    throw new CheckFailure(
      `expected [1, 10], got [${shape}]: reshape with -1 for the batch, not a fixed size`,
    );
});
