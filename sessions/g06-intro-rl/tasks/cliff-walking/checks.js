import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

const fresh = () => [
  [0, 0, 0, 0],
  [1, 2, 3, -1],
];

check("qLearningUpdate bootstraps on the best next action", () => {
  const Q = fresh();
  attempt.qLearningUpdate(Q, 0, 1, -1, 1, false, 0.5, 0.9);
  expectClose(Q[0], [0, 0.5 * (-1 + 0.9 * 3), 0, 0]);
});

check("sarsaUpdate bootstraps on the action actually taken next", () => {
  const Q = fresh();
  attempt.sarsaUpdate(Q, 0, 1, -1, 1, 0, false, 0.5, 0.9);
  expectClose(Q[0], [0, 0.5 * (-1 + 0.9 * 1), 0, 0]);
});

check("at the end of an episode the target is just r", () => {
  const Q = fresh();
  attempt.qLearningUpdate(Q, 0, 2, 5, 1, true, 1, 0.9);
  attempt.sarsaUpdate(Q, 0, 3, 7, 1, 2, true, 1, 0.9);
  expectClose(Q[0], [0, 0, 5, 7]);
});

check("epsilonGreedy is greedy when epsilon = 0 and explores when epsilon = 1", () => {
  const Q = [[0, 3, 1, 2]];
  let k = 0;
  const u = () => ((k = (k * 7 + 3) % 10) + 0.5) / 10;
  for (let i = 0; i < 10; i++)
    if (attempt.epsilonGreedy(Q, 0, 0, u) !== 1) throw new Error("with epsilon = 0 pick argmax(Q[s])");
  const seen = new Set();
  for (let i = 0; i < 200; i++) seen.add(attempt.epsilonGreedy(Q, 0, 1, Math.random));
  if (seen.size !== 4) throw new Error(`with epsilon = 1 every action should appear, saw ${[...seen]}`);
});

check("Q-learning's greedy policy walks the cliff edge (return -13)", () => {
  const got = attempt.greedyReturn(attempt.runs.q.Q);
  if (got !== -13) throw new Error(`greedy return ${got}; expected -13 after 500 episodes`);
});

check("SARSA does better than Q-learning while exploring", () => {
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const s = mean(attempt.runs.sarsa.returns.slice(-100)),
    q = mean(attempt.runs.q.returns.slice(-100));
  if (!(s > q))
    throw new Error(
      `online return: SARSA ${s.toFixed(1)}, Q-learning ${q.toFixed(1)}: SARSA's on-policy target should make it safer`,
    );
  const g = attempt.greedyReturn(attempt.runs.sarsa.Q);
  if (!(g >= -25 && g < -13))
    throw new Error(`SARSA's greedy return ${g}: expected a safe path (between -25 and -15)`);
});
