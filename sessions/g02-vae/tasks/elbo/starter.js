import { tensor, zeros } from "scratch";
import { rng, barImages } from "pack/bars";

// ---- given: the previous task ----
export function sampleLatent(mu, logvar, eps) {
  return mu.add(logvar.mul(0.5).exp().mul(eps));
}

export function klToStandardNormal(mu, logvar) {
  const perDim = logvar.add(1).sub(mu.pow(2)).sub(logvar.exp());
  return perDim.sum().mul(-0.5).div(mu.shape[0]);
}

// log(1 + exp(l)) without overflow: max(l, 0) + log(1 + exp(-|l|)).
export function softplus(l) {
  return l; // TODO
}

// sum over pixels of x * logits - softplus(logits), averaged over the batch (one-element tensor).
export function bernoulliLogLik(x, logits) {
  return x.sum().mul(0); // TODO
}

// -bernoulliLogLik + KL: the loss a VAE minimises.
export function negativeElbo(x, logits, mu, logvar) {
  return x.sum().mul(0); // TODO
}

// ---- try it ---------------------------------------------------------------------------------------
const { pixels } = barImages(16, rng(3));
const x = tensor(pixels, [16, 64]);
const mu = zeros([16, 2]),
  logvar = zeros([16, 2]);
console.log(
  "loss with all logits 0:",
  negativeElbo(x, zeros([16, 64]), mu, logvar)
    .item()
    .toFixed(3),
  "(64 log 2 = 44.36)",
);
console.log("softplus of [-100, 0, 100]:", JSON.stringify(softplus(tensor([-100, 0, 100])).toArray()));
