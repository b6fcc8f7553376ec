/**
 * The guest programs the tensor benchmark runs (inside the sandbox, or in-process through the
 * direct host). Each measures itself with Date.now() and reports through `metrics.log`, so the
 * timing excludes starting the run and loading the library.
 */

/**
 * `count` elementwise adds of two small tensors (timed as "op"), then freeing their results
 * (timed as "free"), in rounds of 500 so the live-tensor quota is never approached.
 */
export function opOverheadProgram(count: number): string {
  return `
import { ones, metrics } from "scratch";
const a = ones([4]);
const b = ones([4]);
for (let i = 0; i < 200; i++) a.add(b).dispose(); // warm-up
let op = 0;
let free = 0;
for (let done = 0; done < ${count}; done += 500) {
  const results = [];
  const t0 = Date.now();
  for (let i = 0; i < 500; i++) results.push(a.add(b));
  const t1 = Date.now();
  for (const r of results) r.dispose();
  op += t1 - t0;
  free += Date.now() - t1;
}
metrics.log("op", op);
metrics.log("free", free);
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
