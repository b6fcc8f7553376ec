import { tensor, noGrad, tidy, seed, nn, optim, plot, metrics } from "scratch";

// ---- given: cart-pole (Barto, Sutton & Anderson 1983; the physics of Gym's CartPole-v0) ----------
export function rng(seed) {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** State [x, xDot, theta, thetaDot]; actions 0 (push left) and 1 (push right); reward 1 per step. */
export function cartPole(u, maxSteps = 200) {
  const g = 9.8,
    massCart = 1,
    massPole = 0.1,
    total = 1.1,
    halfLength = 0.5,
    force = 10,
    tau = 0.02;
  let s = [0, 0, 0, 0],
    t = 0;
  return {
    nA: 2,
    reset() {
      s = s.map(() => 0.1 * u() - 0.05);
      t = 0;
      return s.slice();
    },
    step(a) {
      const [x, xDot, theta, thetaDot] = s;
      const f = a === 1 ? force : -force;
      const cos = Math.cos(theta),
        sin = Math.sin(theta);
      const temp = (f + massPole * halfLength * thetaDot * thetaDot * sin) / total;
      const thetaAcc = (g * sin - cos * temp) / (halfLength * (4 / 3 - (massPole * cos * cos) / total));
      const xAcc = temp - (massPole * halfLength * thetaAcc * cos) / total;
      s = [x + tau * xDot, xDot + tau * xAcc, theta + tau * thetaDot, thetaDot + tau * thetaAcc];
      t++;
      const fell = Math.abs(s[0]) > 2.4 || Math.abs(s[2]) > (12 * Math.PI) / 180;
      return { s2: s.slice(), r: 1, done: fell || t >= maxSteps, fell };
    },
  };
}
// ---------------------------------------------------------------------------------------------------

// ---- given: the previous tasks ----
export function nStepReturns(rewards, dones, bootstrap, gamma) {
  const out = new Array(rewards.length);
  let G = bootstrap.slice();
  for (let t = rewards.length - 1; t >= 0; t--) {
    G = G.map((g, e) => rewards[t][e] + (dones[t][e] ? 0 : gamma * g));
    out[t] = G;
  }
  return out;
}

export function advantages(returns, values) {
  return returns.map((row, t) => row.map((g, e) => g - values[t][e]));
}

export function a2cLoss(logits, values, actions, returns, { valueCoef = 0.5, entropyCoef = 0.01 } = {}) {
  const [B, nA] = logits.shape;
  const mask = tensor(actions.map((a) => Array.from({ length: nA }, (_, k) => (k === a ? 1 : 0))));
  const logp = logits.logSoftmax(1);
  const v = values.toArray();
  const adv = tensor(returns.map((g, i) => g - v[i][0])); // a constant: no gradient into the critic
  const policyLoss = logp.mul(mask).sum(1).mul(adv).mean().neg();
  const valueLoss = values.reshape([B]).sub(tensor(returns)).pow(2).mean();
  const entropy = logp.exp().mul(logp).sum(1).mean().neg();
  const loss = policyLoss.add(valueLoss.mul(valueCoef)).sub(entropy.mul(entropyCoef));
  return { loss, policyLoss, valueLoss, entropy };
}

// ---- given: actor (4 -> 64 -> 2 logits) and critic (4 -> 64 -> 1), tanh hidden layers, one Adam ----
seed(0);
const actorLayers = [new nn.Linear(4, 64), new nn.Linear(64, 2)];
const criticLayers = [new nn.Linear(4, 64), new nn.Linear(64, 1)];
export const actor = (x) => actorLayers[1].forward(actorLayers[0].forward(x).tanh());
export const critic = (x) => criticLayers[1].forward(criticLayers[0].forward(x).tanh());
const opt = new optim.Adam(
  [...actorLayers, ...criticLayers].flatMap((layer) => layer.parameters()),
  { lr: 0.005 },
);
// ---------------------------------------------------------------------------------------------------

// A2C over `envs` parallel cart-poles, `nSteps` per update. Returns the finished episodes' returns.
export function train(updates, u, { envs = 32, nSteps = 5, gamma = 0.99 } = {}) {
  const pool = Array.from({ length: envs }, () => cartPole(u));
  let states = pool.map((env) => env.reset());
  const finished = [];
  for (let k = 0; k < updates; k++) {
    // TODO: roll out nSteps in every environment, bootstrap, n-step returns, one step on a2cLoss
  }
  return finished;
}

// ---- train ----------------------------------------------------------------------------------------
export const returns = train(300, rng(1));
plot.line(returns, { title: "return of each finished episode", xLabel: "episode" });
export function evaluate(u, episodes = 10) {
  const env = cartPole(u);
  let total = 0;
  for (let e = 0; e < episodes; e++) {
    let s = env.reset();
    for (;;) {
      const p = tidy(() => noGrad(() => actor(tensor([s])).toArray()[0]));
      const o = env.step(p[1] > p[0] ? 1 : 0);
      total += o.r;
      s = o.s2;
      if (o.done) break;
    }
  }
  return total / episodes;
}
console.log("greedy return over 5 episodes:", evaluate(rng(2), 5));
