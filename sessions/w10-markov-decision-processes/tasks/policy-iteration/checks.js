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

const DIST = [0, 1, 2, 3, 1, 2, 3, 2, 2, 3, 2, 1, 3, 2, 1, 0];
const vStar = (d, g) => -(1 - g ** d) / (1 - g);

check("evaluate: 'always up' from the top row just bumps the wall", () => {
  const mdp = makeGridWorld();
  const up = mdp.isTerminal.map((t) => (t ? -1 : 0));
  const V = attempt.evaluate(mdp, up, 0.9, 1e-9);
  // State 1 bumps forever: -1 - 0.9 - 0.81 - … = -10. State 4 walks up into the corner: -1.
  if (!(Math.abs(V[1] + 10) < 1e-3))
    throw new CheckFailure(
      `state 1 under "always up": expected -1/(1-0.9) = -10, got ${V[1]}. The backup uses only the policy's action policy[s].`,
    );
  if (!(Math.abs(V[4] + 1) < 1e-6))
    throw new CheckFailure(`state 4 under "always up": expected -1 (one step into the corner), got ${V[4]}`);
});

check("improve: greedy with respect to the optimal values points home", () => {
  const mdp = makeGridWorld();
  const V = DIST.map((d) => vStar(d, 0.9));
  const pi = attempt.improve(mdp, V, 0.9);
  for (let s = 0; s < 16; s++) {
    if (mdp.isTerminal[s]) continue;
    const next = mdp.transitions(s, pi[s])[0].next;
    if (DIST[next] !== DIST[s] - 1)
      throw new CheckFailure(
        `state ${s}: action ${pi[s]} leads to state ${next}, which is not closer to a corner. Choose the argmax of actionValue.`,
      );
  }
});

check("policy iteration reaches v* = -(1 - 0.9^d)/(1 - 0.9) in a few improvements", () => {
  const { V, iterations } = attempt.policyIteration(makeGridWorld(), 0.9);
  for (let s = 0; s < 16; s++) {
    const expected = vStar(DIST[s], 0.9);
    if (!(Math.abs(V[s] - expected) < 1e-4))
      throw new CheckFailure(
        `state ${s}: expected ${expected.toFixed(4)}, got ${V[s]}. Is V re-evaluated after each improvement?`,
      );
  }
  if (!(iterations >= 1 && iterations <= 10))
    throw new CheckFailure(
      `took ${iterations} improvements; on this grid policy iteration needs at most a handful`,
    );
});
