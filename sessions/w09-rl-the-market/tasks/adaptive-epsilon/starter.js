import { data, plot, metrics } from "scratch";

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

// Given (the previous task): epsilon-greedy with incremental means.
export class EpsilonGreedy {
  constructor(k, epsilon, rng = Math.random) {
    this.k = k;
    this.epsilon = epsilon;
    this.rng = rng;
    this.Q = new Array(k).fill(0);
    this.N = new Array(k).fill(0);
  }

  greedy() {
    let best = 0;
    for (let a = 1; a < this.k; a++) if (this.Q[a] > this.Q[best]) best = a;
    return best;
  }

  act() {
    return this.rng() < this.epsilon ? Math.floor(this.rng() * this.k) : this.greedy();
  }

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

// min(1, c / (t + 1))
export function epsilonSchedule(t, c) {
  return 0.1; // TODO
}

export class DecayingEpsilonGreedy extends EpsilonGreedy {
  constructor(k, c, rng = Math.random) {
    super(k, 1, rng);
    this.c = c;
    this.t = 0;
  }

  act() {
    // TODO: epsilon from the schedule at this.t, then advance this.t; explore or exploit with it.
    return this.greedy();
  }
}

// Running sum of (best mean - mean of the arm played), one entry per step.
export function cumulativeRegret(means, arms) {
  return []; // TODO
}

const steps = 1000;
const runs = 50;
const rows = data.table("stocks").rows.map(([symbol, date, price]) => ({ symbol, date, price }));
const curves = { "ε = 0.1": new Array(steps).fill(0), "decaying, c = 20": new Array(steps).fill(0) };
for (let run = 0; run < runs; run++) {
  for (const name of Object.keys(curves)) {
    const rng = makeRng(7000 + run);
    const bandit = makeMarketBandit(rows, rng);
    const agent =
      name === "ε = 0.1"
        ? new EpsilonGreedy(bandit.k, 0.1, rng)
        : new DecayingEpsilonGreedy(bandit.k, 20, rng);
    const { arms } = runBandit(bandit, agent, steps);
    const regret = cumulativeRegret(bandit.means, arms);
    metrics.log(`regret after ${steps} months, ${name}`, regret[steps - 1] ?? 0, run); // one point per run, streamed
    for (let t = 0; t < steps; t++) curves[name][t] += (regret[t] ?? 0) / runs;
  }
  if (run === 0)
    console.log(
      "first run done: regret after",
      steps,
      "months",
      Object.entries(curves)
        .map(([k, v]) => `${k}: ${(v[steps - 1] * runs).toFixed(0)}`)
        .join(", "),
    );
}
for (const [name, c] of Object.entries(curves))
  console.log(`${name}: average regret after ${steps} months ${c[steps - 1].toFixed(1)} percentage points`);
plot.line(curves, { title: "cumulative regret (percentage points)", xLabel: "month" });
plot.line(
  Array.from({ length: 200 }, (_, t) => epsilonSchedule(t, 20)),
  { title: "ε_t = min(1, 20 / (t + 1))", xLabel: "t" },
);
