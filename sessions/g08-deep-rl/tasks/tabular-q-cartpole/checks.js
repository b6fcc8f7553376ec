import { check } from "scratch/check";
import * as attempt from "attempt";
import { rng } from "pack/cartpole";

check("discretise puts states in the right cells", () => {
  const cases = [
    [[0, 0, 0, 0], ((1 * 3 + 1) * 6 + 2) * 6 + 2],
    [[-1, -1, -0.2, -1], 0],
    [[1, 1, 0.2, 1], 323],
    [[0.9, 0, 0.05, -0.5], ((2 * 3 + 1) * 6 + 4) * 6 + 1],
  ];
  for (const [s, want] of cases) {
    const got = attempt.discretise(s);
    if (got !== want) throw new Error(`discretise(${JSON.stringify(s)}) = ${got}, expected ${want}`);
  }
});

check("every state maps to an index in 0 .. 323", () => {
  const u = rng(5);
  for (let i = 0; i < 500; i++) {
    const k = attempt.discretise([6 * u() - 3, 6 * u() - 3, u() - 0.5, 6 * u() - 3]);
    if (!Number.isInteger(k) || k < 0 || k >= attempt.nStates) throw new Error(`index ${k} out of range`);
  }
});

check("the greedy policy balances for over 80 steps on average", () => {
  const { Q, returns } = attempt.run;
  if (returns.length !== 1000) throw new Error(`expected 1000 episode returns, got ${returns.length}`);
  const g = attempt.greedyReturn(Q, rng(2));
  if (!(g > 80)) throw new Error(`greedy return ${g}; expected over 80 (random: about 22)`);
});
