import { zeros, randn, seed, plot, metrics } from "scratch";

export function sampleLatent(mu, logvar, eps) {
  return mu.add(logvar.mul(0.5).exp().mul(eps));
}

export function klToStandardNormal(mu, logvar) {
  const perDim = logvar.add(1).sub(mu.pow(2)).sub(logvar.exp());
  return perDim.sum().mul(-0.5).div(mu.shape[0]);
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
