import { tensor } from "scratch";

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
