import { check, CheckFailure } from "scratch/check";
import { tidy, noGrad } from "scratch";
import * as attempt from "attempt";

check("toRelative leaves its input windows untouched", () => {
  const X = [[2, 4]];
  attempt.toRelative(X, [5]);
  if (X[0][0] !== 2 || X[0][1] !== 4)
    throw new CheckFailure("toRelative changed the windows it was given; build new arrays with map");
});

check("predictPrices of a model that predicts 0 change is the naive forecast", () => {
  const got = tidy(() =>
    noGrad(() => {
      const p = attempt.initModel(1, 4);
      p.Wy = p.Wy.mul(0);
      p.by = p.by.mul(0);
      return attempt.predictPrices(p, [
        [10, 20, 30],
        [5, 4, 3],
      ]);
    }),
  );
  if (!(Math.abs(got[0] - 30) < 1e-4 && Math.abs(got[1] - 3) < 1e-4))
    throw new CheckFailure(
      `a zero relative change must give the last price of each window [30, 3], got ${JSON.stringify(got)}`,
    );
});
