import { plot, metrics } from "scratch";

// ---- given: a seeded random source, the Gaussian density and the true model ----------------------
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
export const density = (x, mean, sd) =>
  Math.exp(-0.5 * ((x - mean) / sd) ** 2) / (sd * Math.sqrt(2 * Math.PI));
export const truth = {
  pi: [0.5, 0.5],
  A: [
    [0.95, 0.05],
    [0.1, 0.9],
  ],
  means: [-1, 1.5],
  sds: [0.7, 0.8],
};
// ---------------------------------------------------------------------------------------------------

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

// Scaled forward-backward. alpha[t], beta[t], gamma[t] are pairs [state 0, state 1].
export function forwardBackward(obs, params) {
  const T = obs.length;
  const alpha = [],
    beta = [],
    c = [],
    gamma = [];
  // TODO: forward pass (normalise each alpha_t, keep c_t), backward pass, gamma
  return { logLik: 0, alpha, beta, c, gamma };
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
