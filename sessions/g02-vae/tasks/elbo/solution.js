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

export function softplus(l) {
  return l.relu().add(l.abs().neg().exp().add(1).log());
}

export function bernoulliLogLik(x, logits) {
  return x.mul(logits).sub(softplus(logits)).sum().div(x.shape[0]);
}

export function negativeElbo(x, logits, mu, logvar) {
  return bernoulliLogLik(x, logits).neg().add(klToStandardNormal(mu, logvar));
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
