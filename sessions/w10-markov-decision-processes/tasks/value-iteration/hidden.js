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

check("discounted corridor: v*(c) = 10 · 0.9^(steps - 1)", () => {
  const mdp = makeGridWorld({ rows: 1, cols: 6, terminals: [5], stepReward: 0, goalReward: 10 });
  const { V, policy } = attempt.valueIteration(mdp, 0.9, 1e-9);
  for (let c = 0; c < 5; c++) {
    const expected = 10 * 0.9 ** (5 - c - 1);
    if (!(Math.abs(V[c] - expected) < 1e-4))
      throw new CheckFailure(`column ${c}: expected ${expected.toFixed(4)}, got ${V[c]}`);
    if (policy[c] !== 1) throw new CheckFailure(`column ${c}: the best move is right (1), got ${policy[c]}`);
  }
});

check("slippery grid: values match an independent solver", () => {
  const mdp = makeGridWorld({ slip: 0.2 });
  const gamma = 0.95;
  const R = new Array(16).fill(0);
  for (let it = 0; it < 2000; it++) {
    for (let s = 0; s < 16; s++) {
      if (mdp.isTerminal[s]) continue;
      let best = -Infinity;
      for (let a = 0; a < 4; a++)
        best = Math.max(
          best,
          mdp.transitions(s, a).reduce((q, o) => q + o.p * (o.reward + gamma * R[o.next]), 0),
        );
      R[s] = best;
    }
  }
  const { V } = attempt.valueIteration(mdp, gamma, 1e-9);
  for (let s = 0; s < 16; s++)
    if (!(Math.abs(V[s] - R[s]) < 1e-3))
      throw new CheckFailure(
        `state ${s}: expected ${R[s].toFixed(4)}, got ${V[s]}. Every outcome of transitions(s, a) counts, weighted by p.`,
      );
});
