import { tensor, randn, zeros, noGrad, tidy, dispose, seed, optim, plot, metrics } from "scratch";
import { rng, cartPole } from "pack/cartpole";

// ---- given: the previous tasks ----
export class ReplayBuffer {
  constructor(capacity) {
    this.capacity = capacity;
    this.items = [];
    this.next = 0;
  }
  get size() {
    return this.items.length;
  }
  push(transition) {
    if (this.items.length < this.capacity) this.items.push(transition);
    else this.items[this.next] = transition;
    this.next = (this.next + 1) % this.capacity;
  }
  sample(n, u) {
    return Array.from({ length: n }, () => this.items[Math.floor(u() * this.items.length)]);
  }
}

export function dqnTargets(rewards, nextQ, dones, gamma) {
  const best = nextQ.max(1).toArray();
  return rewards.map((r, i) => r + (dones[i] ? 0 : gamma * best[i]));
}

export function tdLoss(qValues, actions, targets) {
  const nA = qValues.shape[1];
  const mask = tensor(actions.map((a) => Array.from({ length: nA }, (_, k) => (k === a ? 1 : 0))));
  const taken = qValues.mul(mask).sum(1);
  return taken.sub(tensor(targets)).pow(2).mean();
}

// ---- given: the Q-network with explicit weights (4 -> 64 -> 2), so the target network is a frozen copy
seed(0);
const init = (rows, cols) =>
  randn([rows, cols])
    .mul(Math.sqrt(2 / rows))
    .requiresGrad();
export const online = [init(4, 64), zeros([64]).requiresGrad(), init(64, 2), zeros([2]).requiresGrad()];
/** Q-values [B, 2] of the states x [B, 4] under the weights w. */
export const qNet = (w, x) => x.matmul(w[0]).add(w[1]).relu().matmul(w[2]).add(w[3]);
/** A frozen copy of the weights (plain tensors, no gradient): the target network. */
export const freeze = (w) => w.map((p) => tensor(p.toArray()));
const opt = new optim.Adam(online, { lr: 0.003 });
// Acting needs a forward pass at every environment step; a plain-JS copy of the weights, refreshed
// after every learning step, makes that cheap (a tensor round-trip per step would dominate the run).
let policyWeights = null;
/** Copies the online weights for greedyAction: call it after every optimiser step. */
export function refreshPolicy() {
  policyWeights = online.map((p) => p.toArray());
}
/** argmax_a Q(s, a) under the online network, computed from the plain copy of its weights. */
export function greedyAction(s) {
  if (policyWeights === null) refreshPolicy();
  const [W1, b1, W2, b2] = policyWeights;
  const h = b1.map((b, j) =>
    Math.max(
      0,
      s.reduce((acc, x, i) => acc + x * W1[i][j], b),
    ),
  );
  const q = b2.map((b, k) => h.reduce((acc, hj, j) => acc + hj * W2[j][k], b));
  return q[1] > q[0] ? 1 : 0;
}
// ---------------------------------------------------------------------------------------------------

// DQN with experience replay and a target network. Returns the list of episode returns.
export function train(
  steps,
  u,
  { gamma = 0.99, batchSize = 128, warmup = 200, syncEvery = 200, learnEvery = 8 } = {},
) {
  const env = cartPole(u);
  const buffer = new ReplayBuffer(10000);
  let target = freeze(online);
  let s = env.reset(),
    ret = 0;
  const returns = [];
  for (let t = 0; t < steps; t++) {
    // TODO: act epsilon-greedily, step, store, handle the end of an episode
    // TODO: every learnEvery steps, learn from a sampled batch once the buffer holds `warmup` transitions
    //       (then call refreshPolicy() so that greedyAction sees the new weights)
    // TODO: refresh the target network every syncEvery steps
  }
  return returns;
}

// ---- train ----------------------------------------------------------------------------------------
export const returns = train(6000, rng(1));
plot.line(returns, { title: "return per episode", xLabel: "episode" });
export function evaluate(u, episodes = 10) {
  const env = cartPole(u);
  let total = 0;
  for (let e = 0; e < episodes; e++) {
    let s = env.reset();
    for (;;) {
      const o = env.step(greedyAction(s));
      total += o.r;
      s = o.s2;
      if (o.done) break;
    }
  }
  return total / episodes;
}
console.log("greedy return over 10 episodes:", evaluate(rng(2)));
