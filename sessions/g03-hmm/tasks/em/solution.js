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

export function emStep(obs, params) {
  const T = obs.length;
  const { alpha, beta, c, gamma } = forwardBackward(obs, params);
  const xi = [
    [0, 0],
    [0, 0],
  ];
  for (let t = 0; t + 1 < T; t++)
    for (let j = 0; j < 2; j++)
      for (let k = 0; k < 2; k++)
        xi[j][k] +=
          (alpha[t][j] *
            params.A[j][k] *
            density(obs[t + 1], params.means[k], params.sds[k]) *
            beta[t + 1][k]) /
          c[t + 1];
  const A = xi.map((row) => row.map((v) => v / (row[0] + row[1])));
  const means = [0, 1].map((k) => {
    let num = 0,
      den = 0;
    for (let t = 0; t < T; t++) {
      num += gamma[t][k] * obs[t];
      den += gamma[t][k];
    }
    return num / den;
  });
  const sds = [0, 1].map((k) => {
    let num = 0,
      den = 0;
    for (let t = 0; t < T; t++) {
      num += gamma[t][k] * (obs[t] - means[k]) ** 2;
      den += gamma[t][k];
    }
    return Math.sqrt(num / den);
  });
  return { pi: gamma[0].slice(), A, means, sds };
}

// ---- try it ---------------------------------------------------------------------------------------
const { obs } = sampleHMM(1000, truth, rng(8));
let params = {
  pi: [0.5, 0.5],
  A: [
    [0.6, 0.4],
    [0.4, 0.6],
  ],
  means: [-0.2, 0.3],
  sds: [1.5, 1.5],
};
export const trace = [];
for (let i = 0; i < 30; i++) {
  trace.push(forwardBackward(obs, params).logLik);
  metrics.log("log-likelihood", trace[i]);
  if (i % 10 === 0) console.log(`iteration ${i}: log p(x) = ${trace[i].toFixed(2)}`);
  params = emStep(obs, params);
}
export const learnt = params;
console.log(
  "learnt means",
  params.means.map((m) => m.toFixed(2)),
  "sds",
  params.sds.map((s) => s.toFixed(2)),
);
console.log("learnt A", JSON.stringify(params.A.map((r) => r.map((v) => +v.toFixed(3)))));
plot.line(trace, { title: "log-likelihood per EM iteration" });
