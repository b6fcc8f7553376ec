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

// One-step look-ahead: expected reward plus discounted value of the next state.
export function actionValue(mdp, V, s, a, gamma) {
  let q = 0;
  for (const { p, next, reward } of mdp.transitions(s, a)) q += p * (reward + gamma * V[next]);
  return q;
}

// For each state the action with the largest look-ahead; -1 for terminal states.
export function greedyPolicy(mdp, V, gamma) {
  return Array.from({ length: mdp.nStates }, (_, s) => {
    if (mdp.isTerminal[s]) return -1;
    let best = 0;
    for (let a = 1; a < mdp.nActions; a++)
      if (actionValue(mdp, V, s, a, gamma) > actionValue(mdp, V, s, best, gamma) + 1e-9) best = a;
    return best;
  });
}

export function valueIteration(mdp, gamma = 1, theta = 1e-6) {
  const V = new Array(mdp.nStates).fill(0);
  let sweeps = 0;
  for (;;) {
    sweeps++;
    let delta = 0;
    for (let s = 0; s < mdp.nStates; s++) {
      if (mdp.isTerminal[s]) continue;
      let best = -Infinity;
      for (let a = 0; a < mdp.nActions; a++) best = Math.max(best, actionValue(mdp, V, s, a, gamma));
      delta = Math.max(delta, Math.abs(best - V[s]));
      V[s] = best;
    }
    if (delta < theta || sweeps >= 10000) break;
  }
  return { V, policy: greedyPolicy(mdp, V, gamma), sweeps };
}

const toRows = (V, cols) =>
  Array.from({ length: V.length / cols }, (_, r) => V.slice(r * cols, (r + 1) * cols));
const mdp = makeGridWorld();
const { V, policy, sweeps } = valueIteration(mdp, 1);
console.log(`converged after ${sweeps} sweeps`);
plot.heatmap(toRows(V, mdp.cols), { title: "optimal value v*" });
for (let r = 0; r < mdp.rows; r++) {
  const cells = [];
  for (let c = 0; c < mdp.cols; c++) {
    const s = r * mdp.cols + c;
    cells.push(mdp.isTerminal[s] ? " T " : ` ${ACTIONS[policy[s]] ?? "?"} `);
  }
  console.log(cells.join(""));
}
