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

check("after a run, Q is exactly the sample mean of each arm's rewards", () => {
  const rng = makeRng(42);
  const agent = new attempt.EpsilonGreedy(3, 0.5, rng);
  const { arms, rewards } = attempt.runBandit(gaussianBandit([1, -1, 0.5], rng), agent, 300);
  for (let a = 0; a < 3; a++) {
    const mine = rewards.filter((_, t) => arms[t] === a);
    const mean = mine.length ? mine.reduce((s, x) => s + x, 0) / mine.length : 0;
    if (agent.N[a] !== mine.length)
      throw new CheckFailure(`arm ${a} was played ${mine.length} times but N[${a}] = ${agent.N[a]}`);
    if (Math.abs(agent.Q[a] - mean) > 1e-9)
      throw new CheckFailure(
        `arm ${a}: Q = ${agent.Q[a]}, sample mean ${mean}. Did runBandit call update with the reward it recorded?`,
      );
  }
});
