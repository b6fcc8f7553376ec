import { plot, metrics } from "scratch";

// ---- given: cliff walking -------------------------------------------------------------------------
// A 4 x 12 grid. Start bottom-left, goal bottom-right; the cells between them are the cliff: stepping
// in costs -100 and sends you back to the start. Every other step costs -1. Actions 0 up, 1 right,
// 2 down, 3 left. States are row * 12 + col.
export function rng(seed) {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export function cliffWalking() {
  const H = 4,
    W = 12,
    start = 36,
    goal = 47;
  const moves = [
    [-1, 0],
    [0, 1],
    [1, 0],
    [0, -1],
  ];
  let s = start;
  return {
    nS: H * W,
    nA: 4,
    H,
    W,
    start,
    goal,
    reset() {
      s = start;
      return s;
    },
    step(a) {
      const r = Math.min(H - 1, Math.max(0, Math.floor(s / W) + moves[a][0]));
      const c = Math.min(W - 1, Math.max(0, (s % W) + moves[a][1]));
      s = r * W + c;
      if (r === H - 1 && c > 0 && c < W - 1) {
        s = start;
        return { s2: s, r: -100, done: false };
      }
      return { s2: s, r: -1, done: s === goal };
    },
  };
}
export const argmax = (row) => row.reduce((best, v, i) => (v > row[best] ? i : best), 0);
/** Return of the greedy policy of Q from the start (stops after 100 steps). */
export function greedyReturn(Q) {
  const env = cliffWalking();
  let s = env.reset(),
    total = 0;
  for (let t = 0; t < 100; t++) {
    const { s2, r, done } = env.step(argmax(Q[s]));
    total += r;
    s = s2;
    if (done) break;
  }
  return total;
}
// ---------------------------------------------------------------------------------------------------

export function epsilonGreedy(Q, s, epsilon, u) {
  return u() < epsilon ? Math.floor(u() * Q[s].length) : argmax(Q[s]);
}

export function qLearningUpdate(Q, s, a, r, s2, done, alpha, gamma) {
  const target = r + (done ? 0 : gamma * Math.max(...Q[s2]));
  Q[s][a] += alpha * (target - Q[s][a]);
}

export function sarsaUpdate(Q, s, a, r, s2, a2, done, alpha, gamma) {
  const target = r + (done ? 0 : gamma * Q[s2][a2]);
  Q[s][a] += alpha * (target - Q[s][a]);
}

export function train(method, episodes, { alpha = 0.5, epsilon = 0.1, gamma = 1 }, u) {
  const env = cliffWalking();
  const Q = Array.from({ length: env.nS }, () => new Array(env.nA).fill(0));
  const returns = [];
  for (let e = 0; e < episodes; e++) {
    let s = env.reset(),
      a = epsilonGreedy(Q, s, epsilon, u),
      total = 0;
    for (let t = 0; t < 1000; t++) {
      const { s2, r, done } = env.step(a);
      total += r;
      const a2 = epsilonGreedy(Q, s2, epsilon, u);
      if (method === "sarsa") sarsaUpdate(Q, s, a, r, s2, a2, done, alpha, gamma);
      else qLearningUpdate(Q, s, a, r, s2, done, alpha, gamma);
      s = s2;
      a = a2;
      if (done) break;
    }
    returns.push(total);
  }
  return { Q, returns };
}

// ---- try it ---------------------------------------------------------------------------------------
const smooth = (xs) =>
  xs.map((_, i) => xs.slice(Math.max(0, i - 19), i + 1).reduce((a, b) => a + b, 0) / Math.min(i + 1, 20));
export const runs = {};
for (const method of ["sarsa", "q"]) {
  runs[method] = train(method, 500, { alpha: 0.5, epsilon: 0.1, gamma: 1 }, rng(method === "q" ? 5 : 6));
  const last = runs[method].returns.slice(-100).reduce((a, b) => a + b, 0) / 100;
  metrics.log(`${method}: mean online return over the last 100 episodes`, last);
  console.log(
    `${method}: mean online return over the last 100 episodes ${last.toFixed(1)}, greedy return ${greedyReturn(runs[method].Q)}`,
  );
}
plot.line(
  { SARSA: smooth(runs.sarsa.returns), "Q-learning": smooth(runs.q.returns) },
  { title: "online return per episode (20-episode average)", xLabel: "episode" },
);
