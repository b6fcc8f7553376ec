import { tensor, zeros } from "scratch";

// ---- given: 8 x 8 "bar" images — one horizontal and one vertical bar, 64 possible images -----------
export function rng(seed) {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** n images as a flat array of n * 64 pixels in {0, 1}, with the bar positions. */
export function barImages(n, u) {
  const pixels = [],
    rows = [],
    cols = [];
  for (let i = 0; i < n; i++) {
    const r = Math.floor(u() * 8),
      c = Math.floor(u() * 8);
    for (let p = 0; p < 64; p++) pixels.push(Math.floor(p / 8) === r || p % 8 === c ? 1 : 0);
    rows.push(r);
    cols.push(c);
  }
  return { pixels, rows, cols };
}
// ---------------------------------------------------------------------------------------------------

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
