import { zeros, randn, seed, plot, metrics } from "scratch";

// z = mu + exp(0.5 * logvar) * eps, with tensor ops.
export function sampleLatent(mu, logvar, eps) {
  return mu; // TODO
}

// KL(N(mu, exp(logvar)) || N(0, I)), summed over latent dims, averaged over the batch (one-element tensor).
export function klToStandardNormal(mu, logvar) {
  return mu.sum().mul(0); // TODO
}

// ---- try it ---------------------------------------------------------------------------------------
seed(1);
const n = 2000;
const mu = zeros([n, 1]).add(1.5);
const logvar = zeros([n, 1]).add(Math.log(0.25));
const z = sampleLatent(mu, logvar, randn([n, 1]))
  .toArray()
  .map((row) => row[0]);
const mean = z.reduce((a, b) => a + b, 0) / n;
metrics.log("sample mean", mean);
const sd = Math.sqrt(z.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
console.log(`samples: mean ${mean.toFixed(3)} (want 1.5), sd ${sd.toFixed(3)} (want 0.5)`);
console.log("KL(N(1.5, 0.5^2) || N(0, 1)) =", klToStandardNormal(mu, logvar).item().toFixed(4));
plot.histogram(z, { title: "z = mu + sigma * eps", bins: 40 });
