import { check, CheckFailure } from "scratch/check";
import { tensor, zeros, tidy, noGrad, data } from "scratch";
import * as attempt from "attempt";

check("toRelative: windows end at 0, targets are relative changes", () => {
  const { inputs, targets } = attempt.toRelative(
    [
      [50, 100, 200],
      [10, 20, 10],
    ],
    [220, 5],
  );
  const want = [
    [-0.75, -0.5, 0],
    [0, 1, 0],
  ];
  inputs.forEach((w, i) =>
    w.forEach((v, t) => {
      if (!(Math.abs(v - want[i][t]) < 1e-9))
        throw new CheckFailure(
          `inputs[${i}][${t}]: expected ${want[i][t]}, got ${v}. Divide by the window's LAST value, then subtract 1.`,
        );
    }),
  );
  if (!(Math.abs(targets[0] - 0.1) < 1e-9 && Math.abs(targets[1] + 0.5) < 1e-9))
    throw new CheckFailure(`targets: expected [0.1, -0.5], got ${JSON.stringify(targets)}`);
});

check("forecast returns one prediction per window and uses every time step", () => {
  const p = attempt.initModel(1, 4);
  const out = tidy(() =>
    noGrad(() =>
      attempt
        .forecast(p, [
          [0, 0, 0.5],
          [0, 0, 0],
          [0.3, 0, 0],
        ])
        .toArray(),
    ),
  );
  if (!Array.isArray(out) || out.length !== 3 || out[0].length !== 1)
    throw new CheckFailure(`expected shape [3, 1], got ${JSON.stringify(out)}`);
  if (Math.abs(out[0][0] - out[1][0]) < 1e-7 || Math.abs(out[2][0] - out[1][0]) < 1e-7)
    throw new CheckFailure(
      "windows that differ (at the first or last step) gave the same prediction: feed every time step into the cell.",
    );
});

check("skill = 1 - rmseModel / rmseNaive", () => {
  const got = [attempt.skill(50, 100), attempt.skill(100, 100), attempt.skill(150, 100)];
  if (got.some((v, i) => !(Math.abs(v - [0.5, 0, -0.5][i]) < 1e-9)))
    throw new CheckFailure(
      `expected [0.5, 0, -0.5] for model RMSE 50, 100, 150 against 100; got ${JSON.stringify(got)}`,
    );
});

check("the forecaster is in the naive baseline's league on the test period (RMSE within 1.6 ×)", () => {
  if (!attempt.params || !attempt.params.Wy)
    throw new CheckFailure("export const params (the trained model)");
  const sp500 = data.sp500().price.toArray();
  const { X, y } = attempt.makeWindows(sp500, 12);
  const n = Math.floor(X.length * 0.8);
  const tX = X.slice(n);
  const ty = y.slice(n);
  const pred = tidy(() => noGrad(() => attempt.predictPrices(attempt.params, tX)));
  const naive = tX.map((w) => w[w.length - 1]);
  const r = (a) => Math.sqrt(ty.reduce((s, v, i) => s + (v - a[i]) ** 2, 0) / ty.length);
  const ratio = r(pred) / r(naive);
  console.log(`test RMSE ratio LSTM / naive = ${ratio.toFixed(3)}`);
  if (!(ratio < 1.6))
    throw new CheckFailure(
      `the LSTM's test RMSE is ${ratio.toFixed(2)} × the naive forecast's. Expect roughly 1.0–1.4 (monthly index moves are close to a random walk, and the test years hold the 2008 crash); much worse means a bug: does predictPrices multiply the LAST price of each window by (1 + r)?`,
    );
});
