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

check("a deterministic 'always right' policy in a 1×5 corridor with γ = 0.5", () => {
  // From column c the agent needs 4 - c steps; the return is -(1 + γ + … + γ^(k-1)).
  const mdp = makeGridWorld({ rows: 1, cols: 5, terminals: [4] });
  const right = Array.from({ length: 5 }, () => [0, 1, 0, 0]);
  const V = attempt.evaluatePolicy(mdp, right, 0.5, 1e-9);
  for (let c = 0; c < 5; c++) {
    const k = 4 - c;
    const expected = -(1 - 0.5 ** k) / (1 - 0.5);
    if (!(Math.abs(V[c] - expected) < 1e-4))
      throw new CheckFailure(
        `column ${c}: expected ${expected}, got ${V[c]}: a policy that never moves left must not pay for left moves (weight each action by policy[s][a]).`,
      );
  }
});

check("slippery grid: every outcome is weighted by its probability", () => {
  const mdp = makeGridWorld({ rows: 1, cols: 3, terminals: [2], slip: 0.5 });
  const right = Array.from({ length: 3 }, () => [0, 1, 0, 0]);
  // From 1: with prob 0.5 reach the goal, else (up/down bump) stay: V1 = -1 + 0.5 V1  =>  V1 = -2.
  // From 0: with prob 0.5 move to 1, else stay:          V0 = -1 + 0.5 V1 + 0.5 V0  =>  V0 = -4.
  const V = attempt.evaluatePolicy(mdp, right, 1, 1e-9);
  if (!(Math.abs(V[1] + 2) < 1e-4 && Math.abs(V[0] + 4) < 1e-4))
    throw new CheckFailure(
      `expected [-4, -2, 0], got [${V.map((v) => Number(v).toFixed(3))}]: sum over every outcome of mdp.transitions(s, a), weighted by its p.`,
    );
});
