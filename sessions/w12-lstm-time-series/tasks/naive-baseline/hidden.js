import { check, CheckFailure } from "scratch/check";
import * as attempt from "attempt";

check("rmse ≥ mae always, equal for constant errors", () => {
  const y = [3, -1, 4, 1, 5];
  const yHat = y.map((v) => v + 2);
  if (!(Math.abs(attempt.rmse(y, yHat) - 2) < 1e-9 && Math.abs(attempt.mae(y, yHat) - 2) < 1e-9))
    throw new CheckFailure("a constant error of 2 must give MAE = RMSE = 2");
  const z = [0, 0, 0, 10];
  if (!(attempt.rmse(z, [0, 0, 0, 0]) > attempt.mae(z, [0, 0, 0, 0])))
    throw new CheckFailure("one large error must weigh more in RMSE than in MAE");
});
