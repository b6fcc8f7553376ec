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

export function discretise(s) {
  let index = 0;
  for (let i = 0; i < 4; i++) {
    let bin = 0;
    while (bin < edges[i].length && s[i] > edges[i][bin]) bin++;
    index = index * (edges[i].length + 1) + bin;
  }
  return index;
}

export function trainTabular(episodes, u, { alpha = 0.1, gamma = 0.99 } = {}) {
  const env = cartPole(u);
  const Q = Array.from({ length: nStates }, () => [0, 0]);
  const returns = [];
  for (let e = 0; e < episodes; e++) {
    const epsilon = Math.max(0.01, 1 - e / (episodes / 2));
    let s = discretise(env.reset()),
      total = 0;
    for (;;) {
      const a = u() < epsilon ? Math.floor(u() * 2) : Q[s][1] > Q[s][0] ? 1 : 0;
      const { s2, r, done, fell } = env.step(a);
      const next = discretise(s2);
      const target = fell ? r : r + gamma * Math.max(Q[next][0], Q[next][1]);
      Q[s][a] += alpha * (target - Q[s][a]);
      total += r;
      s = next;
      if (done) break;
    }
    returns.push(total);
    metrics.log("return", total);
    if (e % 100 === 0) console.log(`episode ${e}: return ${total}, epsilon ${epsilon.toFixed(2)}`);
  }
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
