import { check, CheckFailure } from "scratch/check";
import { tensor, zeros, tidy, noGrad } from "scratch";
import * as attempt from "attempt";

check("equal logits give a loss of exactly log 27", () => {
  const got = tidy(() => attempt.nllLoss(zeros([5, 27]), tensor([0, 3, 7, 26, 1], [5], "int32")).item());
  if (!(Math.abs(got - Math.log(27)) < 1e-5))
    throw new CheckFailure(`expected log 27 = ${Math.log(27).toFixed(5)}, got ${got}`);
});

check("forward works on a single context", () => {
  const shape = tidy(() =>
    noGrad(() => attempt.forward(attempt.params, tensor([[0, 0, 0]], [1, 3], "int32")).shape),
  );
  if (shape.join(",") !== "1,27") throw new CheckFailure(`expected [1, 27], got [${shape}]`);
});
