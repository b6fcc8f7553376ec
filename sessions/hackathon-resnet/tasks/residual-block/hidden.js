import { check, CheckFailure } from "scratch/check";
import { randn, tidy, noGrad } from "scratch";
import * as attempt from "attempt";

check("any channel count and a non-square input keep their shape", () => {
  const shape = tidy(() => noGrad(() => new attempt.ResidualBlock(5).forward(randn([1, 5, 4, 7])).shape));
  if (shape.join(",") !== "1,5,4,7") throw new CheckFailure(`expected [1, 5, 4, 7], got [${shape}]`);
});

check("the output is never negative (the final ReLU)", () => {
  const min = tidy(() =>
    noGrad(() =>
      new attempt.ResidualBlock(2)
        .forward(randn([2, 2, 5, 5]).mul(3))
        .min()
        .item(),
    ),
  );
  if (min < 0)
    throw new CheckFailure(`found an output of ${min}: the block ends with a ReLU after the addition`);
});
