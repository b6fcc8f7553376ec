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

check("update keeps the running mean and the count", () => {
  const agent = new attempt.EpsilonGreedy(3, 0, makeRng(1));
  agent.update(1, 2);
  agent.update(1, 4);
  agent.update(1, 9);
  if (agent.N[1] !== 3 || agent.N[0] !== 0) throw new CheckFailure(`N should be [0, 3, 0], got [${agent.N}]`);
  if (Math.abs(agent.Q[1] - 5) > 1e-9) {
    const hint =
      Math.abs(agent.Q[1] - 9) < 1e-9
        ? " You overwrote Q with the last reward."
        : Math.abs(agent.Q[1] - 15) < 1e-9
          ? " You summed the rewards: divide by N."
          : "";
    throw new CheckFailure(
      `after rewards 2, 4, 9 on arm 1, Q[1] should be their mean 5, got ${agent.Q[1]}.${hint}`,
    );
  }
  if (agent.Q[0] !== 0 || agent.Q[2] !== 0)
    throw new CheckFailure(`arms never pulled must keep Q = 0, got [${agent.Q}]`);
});

check("ε = 0 acts greedily, ε = 1 uniformly", () => {
  const greedy = new attempt.EpsilonGreedy(4, 0, makeRng(2));
  greedy.update(2, 5);
  greedy.update(0, 1);
  for (let i = 0; i < 20; i++) {
    const a = greedy.act();
    if (a !== 2) throw new CheckFailure(`with ε = 0 and Q = [${greedy.Q}] act() must return 2, got ${a}`);
  }
  const random = new attempt.EpsilonGreedy(4, 1, makeRng(3));
  random.update(2, 5);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 4000; i++) counts[random.act()]++;
  for (let a = 0; a < 4; a++)
    if (Math.abs(counts[a] / 4000 - 0.25) > 0.04)
      throw new CheckFailure(
        `with ε = 1 every arm should be picked about 25% of the time; counts were [${counts}]. Use this.rng() for the random arm.`,
      );
});

check("on arms with means [0, 0.5, 2, 1] ε = 0.1 finds arm 2", () => {
  let best = 0;
  for (let run = 0; run < 10; run++) {
    const rng = makeRng(100 + run);
    const { arms, rewards } = attempt.runBandit(
      gaussianBandit([0, 0.5, 2, 1], rng),
      new attempt.EpsilonGreedy(4, 0.1, rng),
      1000,
    );
    if (arms.length !== 1000 || rewards.length !== 1000)
      throw new CheckFailure(
        `runBandit should return 1000 arms and rewards, got ${arms.length} and ${rewards.length}`,
      );
    best += arms.slice(500).filter((a) => a === 2).length / 500 / 10;
  }
  if (!(best > 0.8))
    throw new CheckFailure(
      `in the last 500 steps the best arm was played ${(100 * best).toFixed(1)}% of the time; expected about 92% (90% greedy + a quarter of the 10% random picks).`,
    );
});
