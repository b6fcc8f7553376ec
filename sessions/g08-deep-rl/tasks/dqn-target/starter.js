import { tensor, metrics } from "scratch";

// y_i = r_i + gamma * max_a' nextQ[i][a'] (just r_i when dones[i]); an array of numbers.
export function dqnTargets(rewards, nextQ, dones, gamma) {
  return rewards.slice(); // TODO
}

// mean_i (qValues[i][actions[i]] - targets[i])^2 as a one-element tensor.
export function tdLoss(qValues, actions, targets) {
  return qValues.sum().mul(0); // TODO
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
