import { tensor, randn, rand, noGrad, tidy, seed, nn, optim, plot, metrics } from "scratch";

// ---- given: the first task ----
export function softplus(l) {
  return l.relu().add(l.abs().neg().exp().add(1).log());
}

export function discriminatorLoss(realLogits, fakeLogits) {
  return softplus(realLogits.neg()).mean().add(softplus(fakeLogits).mean());
}

export function generatorLoss(fakeLogits) {
  return softplus(fakeLogits.neg()).mean();
}

// ---- given: the ring, the networks and their optimisers ------------------------------------------
export function ring(n) {
  const theta = rand([n, 1]).mul(2 * Math.PI);
  const r = randn([n, 1]).mul(0.1).add(2);
  return noGrad(() => {
    const t = theta.toArray(),
      rr = r.toArray();
    return tensor(t.map((row, i) => [rr[i][0] * Math.cos(row[0]), rr[i][0] * Math.sin(row[0])]));
  });
}
seed(0);
export const generator = new nn.Sequential(
  new nn.Linear(2, 64),
  new nn.ReLU(),
  new nn.Linear(64, 64),
  new nn.ReLU(),
  new nn.Linear(64, 2),
);
export const discriminator = new nn.Sequential(
  new nn.Linear(2, 64),
  new nn.ReLU(),
  new nn.Linear(64, 64),
  new nn.ReLU(),
  new nn.Linear(64, 1),
);
// beta1 = 0.5 damps the momentum that makes the two players overshoot each other (usual for GANs).
const optG = new optim.Adam(generator.parameters(), { lr: 0.004, betas: [0.5, 0.999] });
const optD = new optim.Adam(discriminator.parameters(), { lr: 0.004, betas: [0.5, 0.999] });
// ---------------------------------------------------------------------------------------------------

// One discriminator step (fakes detached from the generator), then one generator step. Returns { d, g }.
export function trainStep(real) {
  return { d: NaN, g: NaN }; // TODO
}

// ---- train ----------------------------------------------------------------------------------------
export const history = { d: [], g: [] };
for (let step = 0; step < 500; step++) {
  // tidy frees the step's temporary tensors (the sandbox caps how many may be alive).
  const { d, g } = tidy(() => trainStep(ring(64)));
  history.d.push(d);
  history.g.push(g);
  metrics.log("discriminator loss", d);
  metrics.log("generator loss", g);
  if (step % 100 === 0 || step === 499)
    console.log(`step ${step}: D loss ${d.toFixed(3)}, G loss ${g.toFixed(3)}`);
}
plot.line(history.d, { title: "discriminator loss", xLabel: "step" });
plot.line(history.g, { title: "generator loss", xLabel: "step" });
const data = ring(500).toArray();
const samples = noGrad(() => generator.forward(randn([500, 2]))).toArray();
plot.scatter(
  data.map((p) => p[0]).concat(samples.map((p) => p[0])),
  data.map((p) => p[1]).concat(samples.map((p) => p[1])),
  { labels: data.map(() => 0).concat(samples.map(() => 1)), title: "data (0) and generated samples (1)" },
);
