import { tensor, metrics } from "scratch";

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

// ---- try it ---------------------------------------------------------------------------------------
const nextQ = tensor([
  [1, 3],
  [2, 0.5],
  [4, 4],
]);
const y = dqnTargets([1, 1, 1], nextQ, [false, false, true], 0.9);
metrics.log("target of the first transition", y[0]);
console.log("targets:", JSON.stringify(y), "(want [3.7, 2.8, 1])");
const q = tensor([
  [0.5, 2],
  [1, 1],
  [0, 3],
]).requiresGrad();
const loss = tdLoss(q, [1, 0, 1], y);
loss.backward();
console.log("loss:", loss.item().toFixed(4), "gradient:", JSON.stringify(q.grad.toArray()));
