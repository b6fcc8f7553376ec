import { check, CheckFailure } from "scratch/check";
import * as attempt from "attempt";

check("naiveForecast repeats each window's last value", () => {
  const got = attempt.naiveForecast([
    [1, 2, 3],
    [5, 4, 7],
  ]);
  if (JSON.stringify(got) !== "[3,7]")
    throw new CheckFailure(
      `expected [3, 7], got ${JSON.stringify(got)}${JSON.stringify(got) === "[1,5]" ? " — that is the first value of each window; take the last" : ""}`,
    );
});

check("movingAverageForecast averages the last k values", () => {
  const got = attempt.movingAverageForecast(
    [
      [1, 2, 3, 6],
      [0, 0, 4, 8],
    ],
    2,
  );
  if (!(Math.abs(got[0] - 4.5) < 1e-9 && Math.abs(got[1] - 6) < 1e-9))
    throw new CheckFailure(`k = 2: expected [4.5, 6], got ${JSON.stringify(got)}`);
});

check("mae and rmse", () => {
  const y = [1, 2, 3, 4];
  const yHat = [2, 2, 3, 1];
  const m = attempt.mae(y, yHat);
  const r = attempt.rmse(y, yHat);
  if (!(Math.abs(m - 1) < 1e-9))
    throw new CheckFailure(
      `mae: errors are [1, 0, 0, 3], expected 1, got ${m}${m < 0 ? " — take absolute values" : ""}`,
    );
  if (Math.abs(r - 2.5) < 1e-9)
    throw new CheckFailure("rmse: got 2.5, the mean squared error — take its square root");
  if (Math.abs(r - 1) < 1e-9)
    throw new CheckFailure(
      "rmse: got 1 — the root was taken per element (that is the MAE); square, average, then take the root",
    );
  if (!(Math.abs(r - Math.sqrt(2.5)) < 1e-9))
    throw new CheckFailure(
      `rmse: expected sqrt((1 + 0 + 0 + 9) / 4) = ${Math.sqrt(2.5).toFixed(4)}, got ${r}`,
    );
});
