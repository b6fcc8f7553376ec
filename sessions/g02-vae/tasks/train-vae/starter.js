import { tensor, zeros, randn, noGrad, tidy, seed, nn, optim, plot, metrics } from "scratch";
import { rng, barImages } from "pack/bars";

// ---- given: the previous tasks ----
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

// ---- given: the networks (64 -> 48 -> 2 + 2, and 2 -> 48 -> 64) and Adam ----
seed(0);
export const encoder = new nn.Linear(64, 64);
export const toMu = new nn.Linear(64, 2);
export const toLogvar = new nn.Linear(64, 2);
export const decoder = new nn.Sequential(new nn.Linear(2, 64), new nn.ReLU(), new nn.Linear(64, 64));
const parameters = [encoder, toMu, toLogvar, decoder].flatMap((layer) => layer.parameters());
const opt = new optim.Adam(parameters, { lr: 0.015 });

// { mu, logvar } of q(z | x): a ReLU hidden layer (encoder), then the heads toMu and toLogvar.
export function encode(x) {
  const n = x.shape[0];
  return { mu: zeros([n, 2]), logvar: zeros([n, 2]) }; // TODO
}

// Pixel logits of p(x | z).
export function decode(z) {
  return zeros([z.shape[0], 64]); // TODO
}

// One Adam step on the negative ELBO of the batch x, with a reparameterised sample. Returns the loss.
export function trainStep(x) {
  return NaN; // TODO
}

// ---- train ----------------------------------------------------------------------------------------
const u = rng(4);
export const losses = [];
for (let step = 0; step < 500; step++) {
  const { pixels } = barImages(64, u);
  // tidy frees the step's temporary tensors (the sandbox caps how many may be alive).
  losses.push(tidy(() => trainStep(tensor(pixels, [64, 64]))));
  metrics.log("negative ELBO", losses[step]);
  if (step % 100 === 0 || step === 499)
    console.log(`step ${step}: negative ELBO ${losses[step].toFixed(2)} nats`);
}
plot.line(losses, { title: "negative ELBO per step", xLabel: "step" });

// ---- look at it -----------------------------------------------------------------------------------
const test = barImages(200, rng(99));
const { mu } = noGrad(() => encode(tensor(test.pixels, [200, 64])));
const means = mu.toArray();
plot.scatter(
  means.map((m) => m[0]),
  means.map((m) => m[1]),
  { labels: test.rows, title: "latent means, coloured by bar row" },
);
const grid = [];
for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) grid.push([-2 + (4 * j) / 5, 2 - (4 * i) / 5]);
const probs = tidy(() => noGrad(() => decode(tensor(grid)).sigmoid()).toArray());
const canvas = new Array(48 * 48).fill(0);
probs.forEach((img, g) =>
  img.forEach(
    (p, k) => (canvas[(Math.floor(g / 6) * 8 + Math.floor(k / 8)) * 48 + (g % 6) * 8 + (k % 8)] = p),
  ),
);
plot.image(
  Array.from({ length: 48 }, (_, r) => canvas.slice(48 * r, 48 * r + 48)),
  { title: "decoded images on a 6 x 6 grid of z" },
);
