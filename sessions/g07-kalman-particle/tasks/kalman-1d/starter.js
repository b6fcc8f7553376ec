import { plot, metrics } from "scratch";
import { altitudeData } from "pack/altimeter";

// m- = a m, P- = a^2 P + q
export function predict1d(m, P, a, q) {
  return { m, P }; // TODO
}

// Kalman gain K = P / (P + r); returns the posterior { m, P }.
export function update1d(m, P, y, r) {
  return { m, P }; // TODO
}

// Predict then update for every reading; returns { means, vars }.
export function kalman1d(ys, { a, q, r, m0, P0 }) {
  const means = [],
    vars = [];
  // TODO
  return { means, vars };
}

// ---- try it ---------------------------------------------------------------------------------------
const model = { a: 1, q: 0.5, r: 4, m0: 100, P0: 10 };
const { xs, ys } = altitudeData(100, model, 3);
const { means, vars } = kalman1d(ys, model);
const rmse = (est) => Math.sqrt(est.reduce((s, e, t) => s + (e - xs[t]) ** 2, 0) / xs.length);
metrics.log("RMSE of the Kalman mean", rmse(means));
console.log(`RMSE of the raw readings ${rmse(ys).toFixed(3)}, of the filter ${rmse(means).toFixed(3)}`);
console.log("final variance", vars[vars.length - 1]);
if (means.length === xs.length) {
  plot.line(
    {
      "true altitude": xs,
      "altimeter readings": ys,
      "Kalman mean": means,
      "mean + 2 sd": means.map((m, t) => m + 2 * Math.sqrt(vars[t])),
      "mean - 2 sd": means.map((m, t) => m - 2 * Math.sqrt(vars[t])),
    },
    { title: "filtered altitude with a ±2 sd band", xLabel: "t" },
  );
}
