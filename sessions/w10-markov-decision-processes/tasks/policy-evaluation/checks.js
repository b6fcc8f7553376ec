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

const SUTTON = [0, -14, -20, -22, -14, -18, -20, -20, -20, -20, -18, -14, -22, -20, -14, 0];
const OPTIMAL = [0, -1, -2, -3, -1, -2, -3, -2, -2, -3, -2, -1, -3, -2, -1, 0];
const uniform = (n) => Array.from({ length: n }, () => [0.25, 0.25, 0.25, 0.25]);

function compare(V, expected, tol) {
  if (!Array.isArray(V) || V.length !== expected.length)
    throw new CheckFailure(
      `expected an array of ${expected.length} values, got ${Array.isArray(V) ? V.length + " values" : typeof V}`,
    );
  for (let s = 0; s < expected.length; s++) {
    if (!(Math.abs(V[s] - expected[s]) <= tol)) return s;
  }
  return -1;
}

check("the random policy on the 4×4 grid matches Sutton & Barto (γ = 1)", () => {
  const V = attempt.evaluatePolicy(makeGridWorld(), uniform(16), 1, 1e-6);
  const s = compare(V, SUTTON, 0.05);
  if (s < 0) return;
  if (compare(V, OPTIMAL, 0.05) < 0)
    throw new CheckFailure(
      "you got the optimal values (-1, -2, -3): you took the max over actions. Policy evaluation averages the actions with weights π(a|s).",
    );
  if (V.every((v) => v === 0)) throw new CheckFailure("all values are still 0: the sweeps never updated V.");
  if (V[0] !== 0 || V[15] !== 0)
    throw new CheckFailure(
      `terminal corners must stay 0, got V[0] = ${V[0]}, V[15] = ${V[15]}: skip terminal states.`,
    );
  throw new CheckFailure(
    `state ${s} (row ${Math.floor(s / 4)}, col ${s % 4}): expected ${SUTTON[s]}, got ${Number(V[s]).toFixed(3)}. Did you stop too early (theta) or forget the probability p of each outcome?`,
  );
});

check("discounting: γ = 0 gives just the immediate reward", () => {
  const V = attempt.evaluatePolicy(makeGridWorld(), uniform(16), 0, 1e-9);
  const expected = SUTTON.map((v, s) => (s === 0 || s === 15 ? 0 : -1));
  const s = compare(V, expected, 1e-6);
  if (s >= 0)
    throw new CheckFailure(
      `state ${s}: expected ${expected[s]}, got ${V[s]}. With gamma = 0 the backup is just the reward; are you multiplying V[next] by gamma?`,
    );
});
