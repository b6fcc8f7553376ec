import { check, CheckFailure } from "scratch/check";
import * as attempt from "attempt";

function makeRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Gaussian arms with known means (Box-Muller), so the right answer is known.
function gaussianBandit(means, rng) {
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return { k: means.length, means, pull: (arm) => means[arm] + normal() };
}

check("the decaying agent explores at rate ε_t: about c·ln(T) random moves, not none", () => {
  const rng = makeRng(5);
  const agent = new attempt.DecayingEpsilonGreedy(4, 10, rng);
  // All estimates equal except arm 3, so any pick other than 3 is exploration.
  agent.update(3, 1);
  let explored = 0;
  for (let t = 0; t < 1000; t++) if (agent.act() !== 3) explored++;
  // Expected: sum_t min(1, 10/(t+1)) · 3/4 ≈ (10 + 10 (ln 1000 - ln 10)) · 0.75 ≈ 42.
  if (!(explored > 20 && explored < 80))
    throw new CheckFailure(`explored ${explored} times in 1000 steps with c = 10, expected about 42`);
});
