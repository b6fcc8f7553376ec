import { plot, metrics } from "scratch";
import { rng, cartPole } from "pack/cartpole";

// Bin edges per coordinate of [x, xDot, theta, thetaDot]: 3 x 3 x 6 x 6 = 324 states.
export const edges = [
  [-0.8, 0.8],
  [-0.5, 0.5],
  [-0.1, -0.03, 0, 0.03, 0.1],
  [-0.8, -0.3, 0, 0.3, 0.8],
];
export const nStates = edges.reduce((n, e) => n * (e.length + 1), 1);

// Index of the cell of state s: each coordinate's bin, combined like digits.
export function discretise(s) {
  return 0; // TODO
}

// Q-learning with an epsilon-greedy policy from Q = 0. Returns { Q, returns }.
export function trainTabular(episodes, u, { alpha = 0.1, gamma = 0.99 } = {}) {
  const env = cartPole(u);
  const Q = Array.from({ length: nStates }, () => [0, 0]);
  const returns = [];
  // TODO
  return { Q, returns };
}

// ---- try it ---------------------------------------------------------------------------------------
export const run = trainTabular(1000, rng(1));
const smooth = (xs) =>
  xs.map((_, i) => xs.slice(Math.max(0, i - 49), i + 1).reduce((a, b) => a + b, 0) / Math.min(i + 1, 50));
plot.line(smooth(run.returns), { title: "return per episode (50-episode average)", xLabel: "episode" });
export function greedyReturn(Q, u, episodes = 20) {
  const env = cartPole(u);
  let total = 0;
  for (let e = 0; e < episodes; e++) {
    let s = discretise(env.reset());
    for (;;) {
      const o = env.step(Q[s][1] > Q[s][0] ? 1 : 0);
      total += o.r;
      s = discretise(o.s2);
      if (o.done) break;
    }
  }
  return total / episodes;
}
console.log("greedy return:", greedyReturn(run.Q, rng(2)));
