import { check } from "scratch/check";
import * as attempt from "attempt";
import { rng } from "pack/cartpole";

check("train returns the episode returns", () => {
  const r = attempt.returns;
  if (!Array.isArray(r) || r.length < 20)
    throw new Error(`expected the returns of the episodes played (dozens), got ${r && r.length}`);
});

check("the learnt greedy policy balances for over 60 steps (random: about 22)", () => {
  const g = attempt.evaluate(rng(7));
  if (!(g > 60)) throw new Error(`greedy return ${g.toFixed(1)}; expected over 60`);
});
