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

const DIST = [0, 1, 2, 3, 1, 2, 3, 2, 2, 3, 2, 1, 3, 2, 1, 0];

check("epsilonGreedy with ε = 0 picks the largest q", () => {
  const rng = makeRng(3);
  for (const [q, best] of [
    [[1, 5, 2, 0], 1],
    [[-3, -2, -9, -1], 3],
    [[7, 1, 1, 1], 0],
  ]) {
    const a = attempt.epsilonGreedy(q, 0, rng);
    if (a !== best)
      throw new CheckFailure(
        `q = [${q}]: expected action ${best}, got ${a}. ${a === q.indexOf(Math.min(...q)) ? "That is the smallest q: use the max." : ""}`,
      );
  }
});

check("epsilonGreedy with ε = 1 is uniform over the actions", () => {
  const rng = makeRng(4);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 4000; i++) {
    const a = attempt.epsilonGreedy([0, 10, 0, 0], 1, rng);
    if (!(a >= 0 && a < 4 && Number.isInteger(a)))
      throw new CheckFailure(`expected an action index 0..3, got ${a}`);
    counts[a]++;
  }
  for (let a = 0; a < 4; a++)
    if (Math.abs(counts[a] / 4000 - 0.25) > 0.04)
      throw new CheckFailure(
        `action ${a} chosen ${(counts[a] / 40) | 0}% of the time with ε = 1, expected about 25% (counts ${counts}). Draw a random action with rng, not the greedy one.`,
      );
});

check("after 500 episodes the greedy policy takes shortest paths", () => {
  const mdp = makeGridWorld();
  const { Q, episodeLengths } = attempt.qLearning(mdp, {
    episodes: 500,
    alpha: 0.5,
    gamma: 1,
    epsilon: 0.1,
    rng: makeRng(7),
  });
  if (!Array.isArray(episodeLengths) || episodeLengths.length !== 500)
    throw new CheckFailure(`expected 500 episode lengths, got ${episodeLengths?.length}`);
  for (let s0 = 0; s0 < 16; s0++) {
    if (mdp.isTerminal[s0]) continue;
    let s = s0;
    let k = 0;
    while (!mdp.isTerminal[s] && k < 20) {
      s = mdp.transitions(s, Q[s].indexOf(Math.max(...Q[s])))[0].next;
      k++;
    }
    if (k !== DIST[s0])
      throw new CheckFailure(
        `from state ${s0} the greedy policy takes ${k >= 20 ? "forever" : k + " steps"}; the shortest path is ${DIST[s0]}. Is the target reward + gamma * max Q[next], and is Q[s][a] moved toward it by alpha?`,
      );
  }
});
