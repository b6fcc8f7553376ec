import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

// Steps to the goal by breadth-first search from the goal over the same grid.
function distances(rows) {
  const H = rows.length,
    W = rows[0].length;
  const d = new Array(H * W).fill(Infinity);
  const goal = rows.join("").indexOf("G");
  d[goal] = 0;
  const queue = [goal];
  while (queue.length) {
    const s = queue.shift();
    const r = Math.floor(s / W),
      c = s % W;
    for (const [dr, dc] of [
      [-1, 0],
      [1, 0],
      [0, 1],
      [0, -1],
    ]) {
      const rr = r + dr,
        cc = c + dc;
      if (rr < 0 || rr >= H || cc < 0 || cc >= W || rows[rr][cc] === "#" || d[rr * W + cc] !== Infinity)
        continue;
      d[rr * W + cc] = d[s] + 1;
      queue.push(rr * W + cc);
    }
  }
  return d;
}
const rows = ["....#...", ".##.#.#.", "...#..#.", ".#...#..", "...#...G"];
const d = distances(rows);
const free = d.map((_, s) => s).filter((s) => rows.join("")[s] !== "#");

check("gamma = 1: V*(s) = -(steps to the goal)", () => {
  const { V } = attempt.valueIteration(attempt.gridWorld(rows), 1, 1e-9);
  expectClose(
    free.map((s) => V[s]),
    free.map((s) => -d[s]),
    { atol: 1e-6, rtol: 0 },
  );
});

check("gamma = 0.9: V*(s) = -(1 - 0.9^d) / (1 - 0.9)", () => {
  const { V } = attempt.valueIteration(attempt.gridWorld(rows), 0.9, 1e-10);
  expectClose(
    free.map((s) => V[s]),
    free.map((s) => -(1 - 0.9 ** d[s]) / 0.1),
    { atol: 1e-6, rtol: 0 },
  );
});

check("the greedy policy follows a shortest path", () => {
  const env = attempt.gridWorld(rows);
  const { policy } = attempt.valueIteration(env, 1, 1e-9);
  for (const s of free) {
    if (d[s] === 0) continue;
    const { s2 } = env.transitions(s, policy[s])[0];
    if (d[s2] !== d[s] - 1)
      throw new Error(
        `in state ${s} (row ${Math.floor(s / 8)}, col ${s % 8}) action ${policy[s]} does not get closer to the goal`,
      );
  }
});
