import { plot, metrics } from "scratch";
import { rng, normal, density, truth } from "pack/model";

// ---- given: the previous task ----
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

// ---- try it ---------------------------------------------------------------------------------------
const { states, obs } = sampleHMM(200, truth, rng(3));
const fb = forwardBackward(obs, truth);
metrics.log("log p(x)", fb.logLik);
console.log("log p(x) =", fb.logLik.toFixed(3));
if (fb.gamma.length === obs.length) {
  plot.line(
    {
      "filtered p(z_t = 1 | x_1..t)": fb.alpha.map((a) => a[1]),
      "smoothed p(z_t = 1 | x_1..T)": fb.gamma.map((g) => g[1]),
      "true state": states,
    },
    { title: "state posteriors against the truth", xLabel: "t" },
  );
}
