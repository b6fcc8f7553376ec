import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

check("kalmanPredict: constant velocity moves the mean and spreads the covariance", () => {
  const F = [
      [1, 1],
      [0, 1],
    ],
    Q = [
      [0.1, 0],
      [0, 0.2],
    ];
  const { m, P } = attempt.kalmanPredict(
    [2, 3],
    [
      [1, 0.5],
      [0.5, 2],
    ],
    F,
    Q,
  );
  expectClose(m, [5, 3]);
  // F P F^T = [[1 + 2*0.5 + 2, 0.5 + 2], [0.5 + 2, 2]]
  expectClose(P, [
    [4.1, 2.5],
    [2.5, 2.2],
  ]);
});

check("kalmanUpdate in one dimension is the scalar update", () => {
  const { m, P } = attempt.kalmanUpdate([10], [[3]], [16], [[1]], [[1]]);
  expectClose(m, [14.5]);
  expectClose(P, [[0.75]]);
});

check("kalmanUpdate observing the position also corrects the velocity", () => {
  // P = [[2, 1], [1, 1]], H = [1, 0], R = 1: S = 3, K = [2/3, 1/3]
  const { m, P } = attempt.kalmanUpdate(
    [0, 0],
    [
      [2, 1],
      [1, 1],
    ],
    [3],
    [[1, 0]],
    [[1]],
  );
  expectClose(m, [2, 1]);
  expectClose(P, [
    [2 / 3, 1 / 3],
    [1 / 3, 2 / 3],
  ]);
});

check("the filter tracks better than the raw fixes and recovers the wind", () => {
  const { states, fixes } = attempt.balloonData(120, 4);
  const { means } = attempt.track;
  if (!means || means.length !== 120)
    throw new Error(`expected 120 filtered states, got ${means && means.length}`);
  const err = (k, est) => Math.sqrt(states.reduce((s, st, t) => s + (est[t][k] - st[k]) ** 2, 0) / 120);
  if (!(err(0, means) < 0.8 * err(0, fixes)))
    throw new Error(
      `filter position RMSE ${err(0, means).toFixed(2)} is not well below the fixes' ${err(0, fixes).toFixed(2)}`,
    );
  if (!(err(2, means) < 1.5)) throw new Error(`velocity RMSE ${err(2, means).toFixed(2)} m/s is too large`);
});
