/**
 * The baselines: the same work written directly against tfjs in Node (wasm backend, gradients by
 * tf.grad via tf.variableGrads, tf.train.adam), timed the same way.
 */
import * as tf from "@tensorflow/tfjs-core";
import { createRequire } from "node:module";
import { createDataKernels } from "../../sandbox/scratch/kernels/data.js";
import { nodeDataSource } from "../../sandbox/scratch/kernels/data-node.js";

/** Milliseconds for `count` direct tf.add calls ("op") and for disposing their results ("free"). */
export function directOpOverheadMs(count: number): { op: number; free: number } {
  const a = tf.ones([4]);
  const b = tf.ones([4]);
  for (let i = 0; i < 200; i++) tf.add(a, b).dispose();
  let op = 0;
  let free = 0;
  for (let done = 0; done < count; done += 500) {
    const results: tf.Tensor[] = [];
    const t0 = performance.now();
    for (let i = 0; i < 500; i++) results.push(tf.add(a, b));
    const t1 = performance.now();
    for (const r of results) r.dispose();
    op += t1 - t0;
    free += performance.now() - t1;
  }
  a.dispose();
  b.dispose();
  return { op, free };
}

export function directMatmulMs(reps: number): number[] {
  const a = tf.randomNormal([1024, 1024]);
  const b = tf.randomNormal([1024, 1024]);
  tf.matMul(a, b).dispose();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    tf.matMul(a, b).dispose();
    times.push(performance.now() - t0);
  }
  a.dispose();
  b.dispose();
  return times;
}

/** A seeded Fisher–Yates permutation (as scratch's data.batches shuffles). */
function permutation(n: number, seed: number): number[] {
  let state = seed >>> 0;
  const u = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    [p[i], p[j]] = [p[j] as number, p[i] as number];
  }
  return p;
}

export function directMlpEpochMs(n: number, epochs: number): number[] {
  // tf.grad needs tfjs's gradient functions, which the full @tensorflow/tfjs bundle registers.
  createRequire(import.meta.url)("@tensorflow/tfjs");
  const [x, y] = createDataKernels(nodeDataSource).dataMnist.run(n, 0) as [tf.Tensor2D, tf.Tensor1D];
  const bound = (fanIn: number) => 1 / Math.sqrt(fanIn);
  const w1 = tf.variable(tf.randomUniform([784, 128], -bound(784), bound(784)));
  const b1 = tf.variable(tf.randomUniform([128], -bound(784), bound(784)));
  const w2 = tf.variable(tf.randomUniform([128, 10], -bound(128), bound(128)));
  const b2 = tf.variable(tf.randomUniform([10], -bound(128), bound(128)));
  const opt = tf.train.adam(0.001);
  const times: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = permutation(n, epoch);
    const t0 = performance.now();
    for (let start = 0; start < n; start += 64) {
      tf.tidy(() => {
        const idx = tf.tensor1d(order.slice(start, start + 64), "int32");
        const bx = tf.gather(x, idx);
        const by = tf.oneHot(tf.cast(tf.gather(y, idx), "int32"), 10);
        const { grads } = tf.variableGrads(() => {
          const h = tf.relu(tf.add(tf.matMul(bx, w1), b1));
          const logits = tf.add(tf.matMul(h, w2), b2);
          const logp = tf.sub(logits, tf.logSumExp(logits, 1, true));
          return tf.neg(tf.mean(tf.sum(tf.mul(logp, by), 1))) as tf.Scalar;
        });
        opt.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
      });
    }
    times.push(performance.now() - t0);
  }
  tf.dispose([x, y, w1, b1, w2, b2]);
  opt.dispose();
  return times;
}
