import { plot, metrics } from "scratch";
import { rng, normal, density, truth } from "pack/model";

// ---- given: the previous tasks ----
export function sampleHMM(T, params, u) {
  const states = [],
    obs = [];
  let z = u() < params.pi[0] ? 0 : 1;
  for (let t = 0; t < T; t++) {
    if (t > 0) z = u() < params.A[z][0] ? 0 : 1;
    states.push(z);
    obs.push(params.means[z] + params.sds[z] * normal(u));
  }
  return { states, obs };
}

export function forwardBackward(obs, params) {
  const T = obs.length,
    K = 2;
  const alpha = [],
    c = [];
  for (let t = 0; t < T; t++) {
    const a = [];
    for (let k = 0; k < K; k++) {
      const prior =
        t === 0 ? params.pi[k] : alpha[t - 1][0] * params.A[0][k] + alpha[t - 1][1] * params.A[1][k];
      a.push(prior * density(obs[t], params.means[k], params.sds[k]));
    }
    c.push(a[0] + a[1]);
    alpha.push([a[0] / c[t], a[1] / c[t]]);
  }
  const beta = new Array(T);
  beta[T - 1] = [1, 1];
  for (let t = T - 2; t >= 0; t--) {
    const b = [0, 0];
    for (let j = 0; j < K; j++)
      for (let k = 0; k < K; k++)
        b[j] += params.A[j][k] * density(obs[t + 1], params.means[k], params.sds[k]) * beta[t + 1][k];
    beta[t] = [b[0] / c[t + 1], b[1] / c[t + 1]];
  }
  const gamma = alpha.map((a, t) => {
    const g = [a[0] * beta[t][0], a[1] * beta[t][1]];
    return [g[0] / (g[0] + g[1]), g[1] / (g[0] + g[1])];
  });
  return { logLik: c.reduce((s, ct) => s + Math.log(ct), 0), alpha, beta, c, gamma };
}

// The most likely state path (array of 0/1), by dynamic programming in log space.
export function viterbi(obs, params) {
  return obs.map(() => 0); // TODO
}

// ---- try it ---------------------------------------------------------------------------------------
const { states, obs } = sampleHMM(300, truth, rng(5));
const path = viterbi(obs, truth);
const smoothed = forwardBackward(obs, truth).gamma.map((g) => (g[1] > 0.5 ? 1 : 0));
const acc = (zs) => zs.filter((z, t) => z === states[t]).length / states.length;
metrics.log("Viterbi path accuracy", acc(path));
console.log(
  `Viterbi path accuracy ${acc(path).toFixed(3)}, per-step smoothed accuracy ${acc(smoothed).toFixed(3)}`,
);
plot.line(path, { title: "Viterbi path" });
plot.line(states, { title: "true states" });
