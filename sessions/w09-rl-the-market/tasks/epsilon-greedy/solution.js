import { data, plot } from "scratch";

// Given: a seeded random number generator (mulberry32).
export function makeRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Given: each arm is a stock; pulling it replays a random month of its history (return in percent).
export function makeMarketBandit(rows, rng) {
  const prices = {};
  for (const { symbol, price } of rows) (prices[symbol] ??= []).push(price);
  const names = Object.keys(prices);
  const returns = names.map((s) => prices[s].slice(1).map((p, t) => 100 * (p / prices[s][t] - 1)));
  const means = returns.map((r) => r.reduce((a, x) => a + x, 0) / r.length);
  return {
    k: names.length,
    names,
    means,
    pull: (arm) => returns[arm][Math.floor(rng() * returns[arm].length)],
  };
}

export class EpsilonGreedy {
  constructor(k, epsilon, rng = Math.random) {
    this.k = k;
    this.epsilon = epsilon;
    this.rng = rng;
    this.Q = new Array(k).fill(0);
    this.N = new Array(k).fill(0);
  }

  // With probability epsilon a random arm, otherwise the arm with the largest Q.
  act() {
    if (this.rng() < this.epsilon) return Math.floor(this.rng() * this.k);
    let best = 0;
    for (let a = 1; a < this.k; a++) if (this.Q[a] > this.Q[best]) best = a;
    return best;
  }

  // Incremental mean: N[arm] += 1; Q[arm] += (reward - Q[arm]) / N[arm].
  update(arm, reward) {
    this.N[arm] += 1;
    this.Q[arm] += (reward - this.Q[arm]) / this.N[arm];
  }
}

export function runBandit(bandit, agent, steps) {
  const arms = [];
  const rewards = [];
  for (let t = 0; t < steps; t++) {
    const arm = agent.act();
    const reward = bandit.pull(arm);
    agent.update(arm, reward);
    arms.push(arm);
    rewards.push(reward);
  }
  return { arms, rewards };
}

const steps = 300;
const runs = 50;
const rows = data.table("stocks").rows.map(([symbol, date, price]) => ({ symbol, date, price }));
const market = makeMarketBandit(rows, makeRng(0));
console.log(
  "arms:",
  market.names.join(", "),
  "— true mean % per month:",
  market.means.map((m) => m.toFixed(2)).join(", "),
);
const curves = {};
for (const epsilon of [0, 0.1, 0.3]) {
  const avg = new Array(steps).fill(0);
  for (let run = 0; run < runs; run++) {
    const rng = makeRng(1000 + run);
    const bandit = makeMarketBandit(rows, rng);
    const { rewards } = runBandit(bandit, new EpsilonGreedy(bandit.k, epsilon, rng), steps);
    for (let t = 0; t < steps; t++) avg[t] += (rewards[t] ?? 0) / runs;
  }
  // A running mean of the average reward makes the curves readable.
  let sum = 0;
  curves[`ε = ${epsilon}`] = avg.map((r, t) => (sum += r) / (t + 1));
  console.log(`ε = ${epsilon}: average monthly return ${(sum / steps).toFixed(2)}%`);
}
plot.line(curves, { title: "average return so far (%)", xLabel: "month" });
