import { tensor, zeros, randn, noGrad, tidy, seed, optim, plot, metrics } from "scratch";
import { rng, normal, mixture, sampleData, betaMin, betaMax, beta } from "pack/mixture";

// ---- given: the previous tasks ----
export function alphaBar(t) {
  return Math.exp(-betaMin * t - 0.5 * (betaMax - betaMin) * t * t);
}

export function noisy(x0, t, eps) {
  const a = alphaBar(t);
  return x0.map((xi, i) => Math.sqrt(a) * xi + Math.sqrt(1 - a) * eps[i]);
}

/** Per component: log(pi_k N(x; sqrt(abar) mu_k, v I)) and the component mean, for a 2-D point x. */
function components(x, t) {
  const a = alphaBar(t);
  const v = a * mixture.sd ** 2 + 1 - a;
  return mixture.means.map((mu, k) => {
    const m = mu.map((mi) => Math.sqrt(a) * mi);
    const d2 = (x[0] - m[0]) ** 2 + (x[1] - m[1]) ** 2;
    return { m, v, logp: Math.log(mixture.weights[k]) - d2 / (2 * v) - Math.log(2 * Math.PI * v) };
  });
}

export function logDensity(x, t) {
  const cs = components(x, t);
  const max = Math.max(...cs.map((c) => c.logp));
  return max + Math.log(cs.reduce((s, c) => s + Math.exp(c.logp - max), 0));
}

export function score(x, t) {
  const cs = components(x, t);
  const max = Math.max(...cs.map((c) => c.logp));
  const w = cs.map((c) => Math.exp(c.logp - max));
  const total = w.reduce((a, b) => a + b, 0);
  return [0, 1].map((i) => cs.reduce((s, c, k) => s + (w[k] / total) * ((c.m[i] - x[i]) / c.v), 0));
}

export function reverseSDE(n, steps, scoreFn, u, { tEnd = 1e-3 } = {}) {
  const h = (1 - tEnd) / steps;
  const xs = Array.from({ length: n }, () => [normal(u), normal(u)]);
  for (let i = 0; i < steps; i++) {
    const t = 1 - i * h;
    const b = beta(t);
    const scores = scoreFn(xs, t);
    for (let k = 0; k < n; k++) {
      const x = xs[k],
        s = scores[k];
      const noise = Math.sqrt(b * h);
      xs[k] = [
        x[0] + h * (0.5 * b * x[0] + b * s[0]) + noise * normal(u),
        x[1] + h * (0.5 * b * x[1] + b * s[1]) + noise * normal(u),
      ];
    }
  }
  return xs;
}

// ---- given: a small network predicting the noise from (x_t, t) ----------------------------------
// h1 = relu(x Wx + tf Wt + b1), h2 = relu(h1 W2 + b2), out = h2 W3 + b3, where tf = [t, sigma_t] per row.
seed(0);
const init = (rows, cols) =>
  randn([rows, cols])
    .mul(Math.sqrt(1 / rows))
    .requiresGrad();
export const net = {
  Wx: init(2, 64),
  Wt: init(2, 64),
  b1: zeros([64]).requiresGrad(),
  W2: init(64, 64),
  b2: zeros([64]).requiresGrad(),
  W3: init(64, 2),
  b3: zeros([2]).requiresGrad(),
};
const sigma = (t) => Math.sqrt(1 - alphaBar(t));
/** The predicted noise for points x [B, 2] at times ts (an array of B numbers). */
export function predictNoise(x, ts) {
  const tf = tensor(ts.map((t) => [t, sigma(t)]));
  const h1 = x.matmul(net.Wx).add(tf.matmul(net.Wt)).add(net.b1).relu();
  const h2 = h1.matmul(net.W2).add(net.b2).relu();
  return h2.matmul(net.W3).add(net.b3);
}
const opt = new optim.Adam(Object.values(net), { lr: 0.006 });
// ---------------------------------------------------------------------------------------------------

// E || predictNoise(x_t, t) - eps ||^2 with x_t = sqrt(abar) x0 + sqrt(1 - abar) eps, per row; a one-element tensor.
export function dsmLoss(x0, ts, eps) {
  return x0.sum().mul(0); // TODO
}

// The learnt score of the points xs (array of [x, y]) at time t: -predictNoise / sigma_t, as arrays.
export function networkScore(xs, t) {
  return xs.map(() => [0, 0]); // TODO
}

// ---- train ----------------------------------------------------------------------------------------
const u = rng(6);
export const losses = [];
for (let step = 0; step < 200; step++) {
  const batch = sampleData(256, u);
  const ts = batch.map(() => 0.02 + 0.98 * u());
  const noise = batch.map(() => [normal(u), normal(u)]);
  // tidy frees the step's temporary tensors (the sandbox caps how many may be alive).
  const value = tidy(() => {
    const loss = dsmLoss(tensor(batch), ts, tensor(noise));
    opt.zeroGrad();
    loss.backward();
    opt.step();
    return loss.item();
  });
  losses.push(value);
  metrics.log("DSM loss", value);
  if (step % 50 === 0) console.log(`step ${step}: DSM loss ${value.toFixed(4)} (a zero network scores 2)`);
}
plot.line(losses, { title: "denoising score-matching loss", xLabel: "step" });
export const samples = reverseSDE(400, 200, networkScore, rng(7));
const data = sampleData(400, rng(8));
const points = [...data, ...samples];
plot.scatter(
  points.map((p) => p[0]),
  points.map((p) => p[1]),
  {
    labels: points.map((_, i) => (i < data.length ? 0 : 1)),
    title: "data (0) and samples from the learnt score (1)",
  },
);
