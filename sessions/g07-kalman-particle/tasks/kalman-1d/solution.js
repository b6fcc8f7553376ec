import { plot, metrics } from "scratch";

// ---- given: a balloon's altitude drifts as a random walk; a noisy altimeter reads it -----------
export function rng(seed) {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const normal = (u) => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
export function altitudeData(T, { q, r, x0 = 100 }, seed) {
  const u = rng(seed);
  const xs = [],
    ys = [];
  let x = x0;
  for (let t = 0; t < T; t++) {
    x += Math.sqrt(q) * normal(u);
    xs.push(x);
    ys.push(x + Math.sqrt(r) * normal(u));
  }
  return { xs, ys };
}
// ---------------------------------------------------------------------------------------------------

export function predict1d(m, P, a, q) {
  return { m: a * m, P: a * a * P + q };
}

export function update1d(m, P, y, r) {
  const K = P / (P + r);
  return { m: m + K * (y - m), P: (1 - K) * P };
}

export function kalman1d(ys, { a, q, r, m0, P0 }) {
  let m = m0,
    P = P0;
  const means = [],
    vars = [];
  for (const y of ys) {
    ({ m, P } = predict1d(m, P, a, q));
    ({ m, P } = update1d(m, P, y, r));
    means.push(m);
    vars.push(P);
  }
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
