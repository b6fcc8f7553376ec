import { check, CheckFailure } from "scratch/check";
import * as attempt from "attempt";

// ---- The grid world (given) -------------------------------------------------------------
// States are numbered row by row. Actions: 0 up, 1 right, 2 down, 3 left.
// mdp.transitions(s, a) lists every outcome as { p, next, reward }; terminal states are absorbing
// (no transitions, value 0). `slip` is the chance of sliding to a random perpendicular direction.
const ACTIONS = ["↑", "→", "↓", "←"];
const MOVES = [
  [-1, 0],
  [0, 1],
  [1, 0],
  [0, -1],
];

function makeGridWorld({
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
function makeRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sampleStep(mdp, s, a, rng) {
  const outcomes = mdp.transitions(s, a);
  let u = rng();
  for (const o of outcomes) {
    if (u < o.p) return o;
    u -= o.p;
  }
  return outcomes[outcomes.length - 1];
}

check("Q converges to the optimal action values: max_a Q(s, a) = -(steps home)", () => {
  const mdp = makeGridWorld();
  const DIST = [0, 1, 2, 3, 1, 2, 3, 2, 2, 3, 2, 1, 3, 2, 1, 0];
  const { Q } = attempt.qLearning(mdp, {
    episodes: 3000,
    alpha: 0.5,
    gamma: 1,
    epsilon: 0.2,
    rng: makeRng(11),
  });
  for (let s = 0; s < 16; s++) {
    if (mdp.isTerminal[s]) continue;
    const v = Math.max(...Q[s]);
    if (!(Math.abs(v + DIST[s]) < 0.05))
      throw new CheckFailure(
        `state ${s}: max Q = ${v}, expected ${-DIST[s]}. Terminal next states contribute no future value.`,
      );
  }
});
