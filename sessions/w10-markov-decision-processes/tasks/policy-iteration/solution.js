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

// Given (from the value-iteration task): the one-step look-ahead.
export function actionValue(mdp, V, s, a, gamma) {
  let q = 0;
  for (const { p, next, reward } of mdp.transitions(s, a)) q += p * (reward + gamma * V[next]);
  return q;
}

// Values of a deterministic policy (policy[s] is an action; ignored for terminal states).
export function evaluate(mdp, policy, gamma = 0.9, theta = 1e-8) {
  const V = new Array(mdp.nStates).fill(0);
  for (let sweep = 0; sweep < 100000; sweep++) {
    let delta = 0;
    for (let s = 0; s < mdp.nStates; s++) {
      if (mdp.isTerminal[s]) continue;
      const v = actionValue(mdp, V, s, policy[s], gamma);
      delta = Math.max(delta, Math.abs(v - V[s]));
      V[s] = v;
    }
    if (delta < theta) break;
  }
  return V;
}

// Greedy policy with respect to V (-1 for terminal states).
export function improve(mdp, V, gamma = 0.9) {
  return Array.from({ length: mdp.nStates }, (_, s) => {
    if (mdp.isTerminal[s]) return -1;
    let best = 0;
    for (let a = 1; a < mdp.nActions; a++)
      if (actionValue(mdp, V, s, a, gamma) > actionValue(mdp, V, s, best, gamma) + 1e-9) best = a;
    return best;
  });
}

export function policyIteration(mdp, gamma = 0.9) {
  let policy = mdp.isTerminal.map((t) => (t ? -1 : 0)); // always up
  let iterations = 0;
  let V = evaluate(mdp, policy, gamma);
  for (;;) {
    const next = improve(mdp, V, gamma);
    iterations++;
    if (next.every((a, s) => a === policy[s]) || iterations >= 100) break;
    policy = next;
    V = evaluate(mdp, policy, gamma);
  }
  return { V, policy, iterations };
}

const toRows = (V, cols) =>
  Array.from({ length: V.length / cols }, (_, r) => V.slice(r * cols, (r + 1) * cols));
const mdp = makeGridWorld();
const { V, policy, iterations } = policyIteration(mdp, 0.9);
console.log(`policy stable after ${iterations} improvements`);
plot.heatmap(toRows(V, mdp.cols), { title: "value of the final policy (γ = 0.9)" });
for (let r = 0; r < mdp.rows; r++) {
  let line = "";
  for (let c = 0; c < mdp.cols; c++)
    line += mdp.isTerminal[r * mdp.cols + c] ? " T " : ` ${ACTIONS[policy[r * mdp.cols + c]] ?? "?"} `;
  console.log(line);
}
