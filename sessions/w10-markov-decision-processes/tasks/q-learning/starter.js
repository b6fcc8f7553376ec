import { plot } from "scratch";

// ---- The grid world (given) -------------------------------------------------------------
// States are numbered row by row. Actions: 0 up, 1 right, 2 down, 3 left.
// mdp.transitions(s, a) lists every outcome as { p, next, reward }; terminal states are absorbing
// (no transitions, value 0). `slip` is the chance of sliding to a random perpendicular direction.
export const ACTIONS = ["↑", "→", "↓", "←"];
const MOVES = [
  [-1, 0],
  [0, 1],
  [1, 0],
  [0, -1],
];

export function makeGridWorld({
  rows = 4,
  cols = 4,
  terminals = [0, rows * cols - 1],
  stepReward = -1,
  goalReward = 0,
  slip = 0,
} = {}) {
  const nStates = rows * cols;
  const isTerminal = Array.from({ length: nStates }, (_, s) => terminals.includes(s));
  const move = (s, a) => {
    const r = Math.floor(s / cols) + MOVES[a][0];
    const c = (s % cols) + MOVES[a][1];
    return r < 0 || r >= rows || c < 0 || c >= cols ? s : r * cols + c;
  };
  const outcome = (s, a, p) => {
    const next = move(s, a);
    return { p, next, reward: stepReward + (isTerminal[next] ? goalReward : 0) };
  };
  return {
    rows,
    cols,
    nStates,
    nActions: 4,
    isTerminal,
    transitions(s, a) {
      if (isTerminal[s]) return [];
      if (slip === 0) return [outcome(s, a, 1)];
      return [outcome(s, a, 1 - slip), outcome(s, (a + 1) % 4, slip / 2), outcome(s, (a + 3) % 4, slip / 2)];
    },
  };
}
// ------------------------------------------------------------------------------------------

// Given: a seeded random number generator (mulberry32) and a sampler that plays one step of the world.
export function makeRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sampleStep(mdp, s, a, rng) {
  const outcomes = mdp.transitions(s, a);
  let u = rng();
  for (const o of outcomes) {
    if (u < o.p) return o;
    u -= o.p;
  }
  return outcomes[outcomes.length - 1];
}

// With probability epsilon a random action, otherwise the index of the largest q.
export function epsilonGreedy(q, epsilon, rng) {
  return 0; // TODO
}

export function qLearning(
  mdp,
  { episodes = 500, alpha = 0.5, gamma = 1, epsilon = 0.1, rng = Math.random } = {},
) {
  const Q = Array.from({ length: mdp.nStates }, () => new Array(mdp.nActions).fill(0));
  const episodeLengths = [];
  const starts = mdp.isTerminal.map((t, s) => (t ? -1 : s)).filter((s) => s >= 0);
  for (let episode = 0; episode < episodes; episode++) {
    let s = starts[Math.floor(rng() * starts.length)];
    let steps = 0;
    // TODO: act epsilon-greedily, sample a step, apply the Q-learning update, move on,
    //       until s is terminal or 100 steps have passed.
    episodeLengths.push(steps);
  }
  return { Q, episodeLengths };
}

const mdp = makeGridWorld();
const { Q, episodeLengths } = qLearning(mdp, {
  episodes: 500,
  alpha: 0.5,
  gamma: 1,
  epsilon: 0.1,
  rng: makeRng(1),
});
plot.line(episodeLengths, { title: "steps per episode", xLabel: "episode", yLabel: "steps" });
const V = Q.map((q, s) => (mdp.isTerminal[s] ? 0 : Math.max(...q)));
plot.heatmap(
  Array.from({ length: mdp.rows }, (_, r) => V.slice(r * mdp.cols, (r + 1) * mdp.cols)),
  { title: "max_a Q(s, a)" },
);
for (let r = 0; r < mdp.rows; r++) {
  let line = "";
  for (let c = 0; c < mdp.cols; c++) {
    const s = r * mdp.cols + c;
    line += mdp.isTerminal[s] ? " T " : ` ${ACTIONS[Q[s].indexOf(Math.max(...Q[s]))]} `;
  }
  console.log(line);
}
