import { plot, metrics } from "scratch";

// ---- given: a deterministic grid world ------------------------------------------------------------
// '#' wall, 'G' goal (terminal), '.' free. Actions 0 up, 1 right, 2 down, 3 left. Reward -1 per step.
export const layout = ["....#...", ".##.#.#.", "...#..#.", ".#...#..", "...#...G"];
export function gridWorld(rows = layout) {
  const H = rows.length,
    W = rows[0].length;
  const moves = [
    [-1, 0],
    [0, 1],
    [1, 0],
    [0, -1],
  ];
  const cell = (s) => rows[Math.floor(s / W)][s % W];
  return {
    nS: H * W,
    nA: 4,
    H,
    W,
    isWall: (s) => cell(s) === "#",
    isTerminal: (s) => cell(s) === "G",
    // The model: deterministic, so a list with one outcome { p, s2, r }.
    transitions(s, a) {
      const r = Math.floor(s / W) + moves[a][0],
        c = (s % W) + moves[a][1];
      const blocked = r < 0 || r >= H || c < 0 || c >= W || rows[r][c] === "#";
      return [{ p: 1, s2: blocked ? s : r * W + c, r: -1 }];
    },
  };
}
// ---------------------------------------------------------------------------------------------------

export function valueIteration(env, gamma, tol = 1e-9) {
  const V = new Array(env.nS).fill(0);
  const q = (s, a) => env.transitions(s, a).reduce((acc, { p, s2, r }) => acc + p * (r + gamma * V[s2]), 0);
  for (let sweep = 0; sweep < 10000; sweep++) {
    let delta = 0;
    for (let s = 0; s < env.nS; s++) {
      if (env.isWall(s) || env.isTerminal(s)) continue;
      const best = Math.max(...[0, 1, 2, 3].slice(0, env.nA).map((a) => q(s, a)));
      delta = Math.max(delta, Math.abs(best - V[s]));
      V[s] = best;
    }
    if (delta < tol) break;
  }
  const policy = V.map((_, s) => {
    let best = 0;
    for (let a = 1; a < env.nA; a++) if (q(s, a) > q(s, best)) best = a;
    return best;
  });
  return { V, policy };
}

// ---- try it ---------------------------------------------------------------------------------------
const env = gridWorld();
const { V, policy } = valueIteration(env, 1, 1e-9);
metrics.log("V* of the top-left cell", V[0]);
const arrows = "^>v<";
for (let r = 0; r < env.H; r++)
  console.log(
    layout[r]
      .split("")
      .map((ch, c) => (ch === "." ? arrows[policy[r * env.W + c]] : ch))
      .join(" "),
  );
// Walls shown at the lowest value so the free cells keep the colour scale.
const lowest = Math.min(...V);
plot.heatmap(
  Array.from({ length: env.H }, (_, r) =>
    V.slice(r * env.W, (r + 1) * env.W).map((v, c) => (env.isWall(r * env.W + c) ? lowest : v)),
  ),
  { title: "V* (gamma = 1)" },
);
