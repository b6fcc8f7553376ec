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

export const uniformPolicy = (mdp) => Array.from({ length: mdp.nStates }, () => [0.25, 0.25, 0.25, 0.25]);

// Iterative policy evaluation: sweep the Bellman expectation backup until the values settle.
export function evaluatePolicy(mdp, policy, gamma = 1, theta = 1e-6) {
  const V = new Array(mdp.nStates).fill(0);
  for (let sweep = 0; sweep < 100000; sweep++) {
    let delta = 0;
    for (let s = 0; s < mdp.nStates; s++) {
      if (mdp.isTerminal[s]) continue;
      let v = 0;
      for (let a = 0; a < mdp.nActions; a++) {
        for (const { p, next, reward } of mdp.transitions(s, a))
          v += policy[s][a] * p * (reward + gamma * V[next]);
      }
      delta = Math.max(delta, Math.abs(v - V[s]));
      V[s] = v;
    }
    if (delta < theta) break;
  }
  return V;
}

const toRows = (V, cols) =>
  Array.from({ length: V.length / cols }, (_, r) => V.slice(r * cols, (r + 1) * cols));
const mdp = makeGridWorld();
const V = evaluatePolicy(mdp, uniformPolicy(mdp), 1);
plot.heatmap(toRows(V, mdp.cols), { title: "v of the random policy" });
for (let r = 0; r < mdp.rows; r++)
  console.log(
    V.slice(r * mdp.cols, (r + 1) * mdp.cols)
      .map((v) => v.toFixed(1).padStart(6))
      .join(""),
  );
