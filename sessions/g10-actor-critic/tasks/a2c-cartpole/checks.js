import { check } from "scratch/check";
import * as attempt from "attempt";

check("train returns the finished episodes' returns", () => {
  const r = attempt.returns;
  if (!Array.isArray(r) || r.length < 50)
    throw new Error(`expected hundreds of finished episodes, got ${r && r.length}`);
});

check("the policy balances for over 70 steps on average over its last 50 episodes (random: about 22)", () => {
  const last = attempt.returns.slice(-50);
  const mean = last.reduce((a, b) => a + b, 0) / last.length;
  if (!(mean > 70))
    throw new Error(`mean return of the last 50 episodes ${mean.toFixed(1)}; expected over 70`);
});
