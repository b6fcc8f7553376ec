import { plot, metrics } from "scratch";
import { rng, normal, truth } from "pack/model";

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
