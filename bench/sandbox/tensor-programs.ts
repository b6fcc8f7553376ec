/**
 * The guest programs the tensor benchmark runs (inside the sandbox, or in-process through the
 * direct host). Each measures itself with Date.now() and reports through `metrics.log`, so the
 * timing excludes starting the run and loading the library.
 */

/** `count` elementwise adds of two small tensors, each result freed (as tidy would). */
export function opOverheadProgram(count: number): string {
  return `
import { ones, tidy, metrics } from "scratch";
const a = ones([4]);
const b = ones([4]);
for (let i = 0; i < 200; i++) a.add(b).dispose(); // warm-up
const t0 = Date.now();
for (let i = 0; i < ${count}; i++) a.add(b).dispose();
metrics.log("ms", Date.now() - t0);
`;
}

/** `reps` products of two 1024×1024 matrices. */
export function matmulProgram(reps: number): string {
  return `
import { randn, metrics } from "scratch";
const a = randn([1024, 1024]);
const b = randn([1024, 1024]);
a.matmul(b).dispose(); // warm-up
for (let r = 0; r < ${reps}; r++) {
  const t0 = Date.now();
  a.matmul(b).dispose();
  metrics.log("ms", Date.now() - t0);
}
`;
}

/** `epochs` epochs of a 784-128-10 MLP on `n` MNIST digits, batch 64, Adam. */
export function mlpEpochProgram(n: number, epochs: number): string {
  return `
import { seed, tidy, nn, optim, data, metrics } from "scratch";
seed(0);
const { x, y } = data.mnist({ n: ${n}, seed: 0 });
const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
const opt = new optim.Adam(model.parameters(), { lr: 0.001 });
let loss = 0;
for (let epoch = 0; epoch < ${epochs}; epoch++) {
  const t0 = Date.now();
  for (const batch of data.batches(x, y, { batchSize: 64, seed: epoch })) {
    loss = tidy(() => {
      opt.zeroGrad();
      const l = nn.crossEntropy(model.forward(batch.x), batch.y);
      l.backward();
      opt.step();
      return l;
    });
  }
  metrics.log("ms", Date.now() - t0);
  metrics.log("loss", loss.item());
  loss.dispose();
}
`;
}
