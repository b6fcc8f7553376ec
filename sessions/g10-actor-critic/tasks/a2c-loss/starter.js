import { tensor } from "scratch";

// Returns one-element tensors { loss, policyLoss, valueLoss, entropy }.
export function a2cLoss(logits, values, actions, returns, { valueCoef = 0.5, entropyCoef = 0.01 } = {}) {
  const zero = logits.sum().mul(0).add(values.sum().mul(0));
  // TODO
  return { loss: zero, policyLoss: zero, valueLoss: zero, entropy: zero };
}

// ---- try it ---------------------------------------------------------------------------------------
const logits = tensor([
  [0.2, -0.1],
  [1, 0],
  [0, 0],
]).requiresGrad();
const values = tensor([[1], [2], [0.5]]).requiresGrad();
const parts = a2cLoss(logits, values, [0, 1, 1], [2, 1, 0.5]);
parts.loss.backward();
for (const k of ["loss", "policyLoss", "valueLoss", "entropy"]) console.log(k, parts[k].item().toFixed(4));
console.log("d loss / d logits:", JSON.stringify(logits.grad.toArray()));
