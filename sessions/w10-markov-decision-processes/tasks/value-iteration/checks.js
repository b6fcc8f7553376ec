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

const OPTIMAL = [0, -1, -2, -3, -1, -2, -3, -2, -2, -3, -2, -1, -3, -2, -1, 0];
const where = (s, cols = 4) => `state ${s} (row ${Math.floor(s / cols)}, col ${s % cols})`;

// Follows a deterministic policy from s; returns the number of steps to a terminal (Infinity if it loops).
function stepsHome(mdp, policy, s) {
  for (let k = 0; k <= mdp.nStates; k++) {
    if (mdp.isTerminal[s]) return k;
    const a = policy[s];
    if (!(a >= 0 && a < 4)) return Infinity;
    s = mdp.transitions(s, a)[0].next;
  }
  return Infinity;
}

check("actionValue: one-step look-ahead", () => {
  const mdp = makeGridWorld();
  const V = OPTIMAL;
  const q = attempt.actionValue(mdp, V, 1, 3, 1); // from 1, move left into the corner
  if (!(Math.abs(q - -1) < 1e-9))
    throw new CheckFailure(`from state 1 moving left into the corner: expected -1 + V[0] = -1, got ${q}`);
  const q2 = attempt.actionValue(mdp, V, 1, 0, 0.5); // bump into the top edge: stay at 1
  if (!(Math.abs(q2 - (-1 + 0.5 * -1)) < 1e-9))
    throw new CheckFailure(
      `from state 1 moving up (into the wall, so staying put) with γ = 0.5: expected -1 + 0.5 · V[1] = -1.5, got ${q2}. Is gamma multiplying V[next]?`,
    );
});

check("value iteration finds v* = -(steps to the nearest corner)", () => {
  const { V } = attempt.valueIteration(makeGridWorld(), 1, 1e-6);
  for (let s = 0; s < 16; s++) {
    if (!(Math.abs(V[s] - OPTIMAL[s]) < 1e-4)) {
      const hint =
        V[s] < -3.5
          ? " Values this low look like an average over actions (policy evaluation); value iteration takes the max."
          : "";
      throw new CheckFailure(`${where(s)}: expected ${OPTIMAL[s]}, got ${V[s]}.${hint}`);
    }
  }
});

check("the greedy policy walks home by a shortest path from every state", () => {
  const mdp = makeGridWorld();
  const { policy } = attempt.valueIteration(mdp, 1, 1e-6);
  for (let s = 0; s < 16; s++) {
    if (mdp.isTerminal[s]) continue;
    const k = stepsHome(mdp, policy, s);
    if (k !== -OPTIMAL[s])
      throw new CheckFailure(
        `${where(s)}: following your policy takes ${k === Infinity ? "forever (it loops or bumps a wall)" : k + " steps"}, the shortest way is ${-OPTIMAL[s]}. Pick the argmax of actionValue, not of V[s] itself.`,
      );
  }
});
