import { plot, metrics } from "scratch";

// ---- given: cart-pole (Barto, Sutton & Anderson 1983; the physics of Gym's CartPole-v0) ----------
export function rng(seed) {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** State [x, xDot, theta, thetaDot]; actions 0 (push left) and 1 (push right); reward 1 per step. */
export function cartPole(u, maxSteps = 200) {
  const g = 9.8,
    massCart = 1,
    massPole = 0.1,
    total = 1.1,
    halfLength = 0.5,
    force = 10,
    tau = 0.02;
  let s = [0, 0, 0, 0],
    t = 0;
  return {
    nA: 2,
    reset() {
      s = s.map(() => 0.1 * u() - 0.05);
      t = 0;
      return s.slice();
    },
    step(a) {
      const [x, xDot, theta, thetaDot] = s;
      const f = a === 1 ? force : -force;
      const cos = Math.cos(theta),
        sin = Math.sin(theta);
      const temp = (f + massPole * halfLength * thetaDot * thetaDot * sin) / total;
      const thetaAcc = (g * sin - cos * temp) / (halfLength * (4 / 3 - (massPole * cos * cos) / total));
      const xAcc = temp - (massPole * halfLength * thetaAcc * cos) / total;
      s = [x + tau * xDot, xDot + tau * xAcc, theta + tau * thetaDot, thetaDot + tau * thetaAcc];
      t++;
      const fell = Math.abs(s[0]) > 2.4 || Math.abs(s[2]) > (12 * Math.PI) / 180;
      return { s2: s.slice(), r: 1, done: fell || t >= maxSteps, fell };
    },
  };
}
// ---------------------------------------------------------------------------------------------------

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
