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

check("slippery 5×5 grid: the policy is stable and its values satisfy the optimality equation", () => {
  const mdp = makeGridWorld({ rows: 5, cols: 5, terminals: [24], slip: 0.3 });
  const gamma = 0.9;
  const { V, policy } = attempt.policyIteration(mdp, gamma);
  const q = (s, a) => mdp.transitions(s, a).reduce((acc, o) => acc + o.p * (o.reward + gamma * V[o.next]), 0);
  for (let s = 0; s < 25; s++) {
    if (mdp.isTerminal[s]) continue;
    const best = Math.max(q(s, 0), q(s, 1), q(s, 2), q(s, 3));
    if (!(Math.abs(V[s] - best) < 1e-3))
      throw new CheckFailure(
        `state ${s}: V = ${V[s]} but max_a Q = ${best}: the policy is not optimal yet (keep improving until it is stable).`,
      );
    if (!(q(s, policy[s]) >= best - 1e-3))
      throw new CheckFailure(`state ${s}: the returned policy's action ${policy[s]} is not greedy.`);
  }
});
