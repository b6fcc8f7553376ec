import { plot, metrics } from "scratch";
import { rng, normal, truth } from "pack/model";

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

// ---- try it ---------------------------------------------------------------------------------------
const { states, obs } = sampleHMM(200, truth, rng(3));
metrics.log("fraction of time in state 1", states.filter((z) => z === 1).length / Math.max(states.length, 1));
console.log("first states:", states.slice(0, 20).join(""));
plot.line(obs, { title: "observations x_t" });
plot.line(states, { title: "hidden state z_t" });
