import { plot, metrics } from "scratch";
import { rng, truth } from "pack/model";

// Sample T steps: states (0 or 1) and Gaussian observations. Use u() for every random draw.
export function sampleHMM(T, params, u) {
  const states = [],
    obs = [];
  // TODO
  return { states, obs };
}

// ---- try it ---------------------------------------------------------------------------------------
const { states, obs } = sampleHMM(200, truth, rng(3));
metrics.log("fraction of time in state 1", states.filter((z) => z === 1).length / Math.max(states.length, 1));
console.log("first states:", states.slice(0, 20).join(""));
plot.line(obs, { title: "observations x_t" });
plot.line(states, { title: "hidden state z_t" });
