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

check("epsilonSchedule(t, c) = min(1, c / (t + 1))", () => {
  for (const [t, c, e] of [
    [0, 5, 1],
    [4, 5, 1],
    [9, 5, 0.5],
    [99, 5, 0.05],
    [999, 1, 0.001],
  ]) {
    const got = attempt.epsilonSchedule(t, c);
    if (!(Math.abs(got - e) < 1e-12))
      throw new CheckFailure(
        `epsilonSchedule(${t}, ${c}): expected ${e}, got ${got}${got > 1 ? " — cap it at 1" : ""}`,
      );
  }
});

check("cumulativeRegret adds up what each choice cost", () => {
  const r = attempt.cumulativeRegret([1, 3, 2], [1, 0, 2, 1]);
  if (JSON.stringify(r) !== "[0,2,3,3]")
    throw new CheckFailure(
      `means [1, 3, 2], arms [1, 0, 2, 1]: expected [0, 2, 3, 3], got ${JSON.stringify(r)}. Each step costs max(means) - means[arm].`,
    );
});

check("decaying ε beats fixed ε = 0.1 on a clear-cut bandit", () => {
  const total = { fixed: 0, decaying: 0 };
  for (let run = 0; run < 20; run++) {
    for (const kind of ["fixed", "decaying"]) {
      const rng = makeRng(300 + run);
      const bandit = gaussianBandit([0, 0.5, 2, 1], rng);
      const agent =
        kind === "fixed"
          ? new attempt.EpsilonGreedy(4, 0.1, rng)
          : new attempt.DecayingEpsilonGreedy(4, 10, rng);
      const { arms } = attempt.runBandit(bandit, agent, 2000);
      const means = bandit.means;
      total[kind] += arms.reduce((s, a) => s + Math.max(...means) - means[a], 0) / 20;
    }
  }
  if (!(total.decaying < 0.6 * total.fixed))
    throw new CheckFailure(
      `average regret after 2000 steps: decaying ${total.decaying.toFixed(1)}, fixed ${total.fixed.toFixed(1)}. The decaying agent should explore less and less (does act() advance this.t?).`,
    );
});
