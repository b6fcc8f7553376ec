/**
 * The host kernels' shortcuts compute the very bits of the tfjs compositions they replace, on the
 * wasm backend (the room, the CLI, verify) and on cpu: rank-2 matmul straight to tf.matMul,
 * sumTo without its reshape, cross-entropy's one-hot targets written on the host, and Adam's
 * elementwise update as float32 host loops. Each reference below is the code the kernel ran before
 * (kept here verbatim), fed values that include NaN, ±∞, ±0, subnormals and huge numbers.
 */
import { afterAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { initNodeBackend } from "../kernels/backend-node.js";
import { batchMatMul } from "../kernels/nn.js";
import { sumTo } from "../kernels/reduce.js";
import { fusedKernels } from "../kernels/fused.js";
import { optimKernels } from "../kernels/optim.js";
import { broadcastTo } from "../kernels/movement.js";
import { floatBits } from "./float-bits.js";

await initNodeBackend("wasm");
afterAll(async () => {
  await tf.setBackend("wasm");
});

/** A seeded generator of float32 values, one in `specialEvery` taken from the awkward ones. */
function values(n: number, seed: number, specialEvery = 7): Float32Array {
  const specials = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -3e-42, 1.4e-45, 3e38, -3e38, 1e-30];
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  return Float32Array.from({ length: n }, () =>
    next() < 1 / specialEvery
      ? (specials[Math.floor(next() * specials.length)] as number)
      : (next() - 0.5) * 10 ** Math.floor(next() * 8 - 4),
  );
}

/** The bits of a tensor's values (every NaN as the one quiet NaN, float-bits.ts). */
const bits = (t: tf.Tensor): number[] => floatBits(t.dataSync() as Float32Array);

const expectSame = (a: tf.Tensor, b: tf.Tensor, what: string) => {
  expect(a.shape, what).toEqual(b.shape);
  expect(bits(a), what).toEqual(bits(b));
};

/** Runs `body` on each backend the host loops serve, with no tensor left behind. */
function onBackends(body: (backend: string) => void) {
  for (const backend of ["wasm", "cpu"]) {
    it(`on ${backend}`, async () => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      tf.tidy(() => body(backend));
      expect(tf.memory().numTensors).toBe(before);
    });
  }
}

describe("rank-2 matmul (flags, or on wasm transposed operands for a shared axis ≤ 48) = the broadcast-and-flatten path", () => {
  onBackends(() => {
    let seed = 1;
    for (const [m, k, n] of [
      [300, 3, 64],
      [64, 300, 3],
      [2, 300, 64],
      [5, 49, 7],
      [1, 1, 1],
      [97, 100, 2],
      [64, 48, 10],
      [10, 49, 64],
      [33, 47, 1],
      [1, 16, 300],
      [200, 10, 784],
    ] as const)
      for (const ta of [false, true])
        for (const tb of [false, true]) {
          // Plain values, then one awkward value in 7, then in 2 (NaN, ±∞ and ±0 in the sums).
          const every = [1e9, 7, 2][seed % 3] as number;
          const a = tf.tensor2d(values(m * k, seed++, every), ta ? [k, m] : [m, k]);
          const b = tf.tensor2d(values(k * n, seed++, every), tb ? [n, k] : [k, n]);
          // The general path: the same operands as rank-3 tensors of batch 1.
          const general = tf.reshape(batchMatMul(tf.expandDims(a, 0), tf.expandDims(b, 0), ta, tb), [m, n]);
          expectSame(batchMatMul(a, b, ta, tb), general, `[${m},${k},${n}] ${ta} ${tb}`);
        }
    expect(() => batchMatMul(tf.zeros([2, 3]), tf.zeros([2, 3]), false, false)).toThrow(/inner dimensions/);
  });
});

describe("sumTo over leading axes without a reshape = sum with keepDims, reshaped", () => {
  onBackends(() => {
    let seed = 100;
    for (const [shape, to] of [
      [[300, 3], [3]],
      [[4, 5, 6], [6]],
      [
        [4, 5, 6],
        [5, 6],
      ],
      [[7, 1], [1]],
      [
        [3, 4],
        [1, 4],
      ],
      [
        [3, 4],
        [3, 4],
      ],
    ] as [number[], number[]][]) {
      const x = tf.tensor(values(tf.util.sizeFromShape(shape), seed++), shape);
      const lead = x.rank - to.length;
      const axes: number[] = [];
      for (let i = 0; i < x.rank; i++) if (i < lead || (to[i - lead] === 1 && x.shape[i] !== 1)) axes.push(i);
      const reference = tf.reshape(axes.length > 0 ? tf.sum(x, axes, true) : x, to);
      expectSame(sumTo(x, to), reference, `[${shape}] → [${to}]`);
    }
  });
});

/** crossEntropy and its backward as the kernels composed them before (oneHot by tfjs ops). */
function crossEntropyReference(logits: tf.Tensor, labels: tf.Tensor, dy: tf.Tensor) {
  const [n, classes] = logits.shape as [number, number];
  const targets = tf.cast(tf.oneHot(tf.cast(labels, "int32"), classes), "float32");
  const y = tf.sub(logits, tf.logSumExp(logits, 1, true));
  const loss = tf.div(tf.sum(tf.mul(y, targets)), -n);
  const g = tf.mul(broadcastTo(tf.div(dy, -n), [n, classes]), targets);
  return [loss, tf.sub(g, tf.mul(tf.exp(y), tf.sum(g, 1, true)))];
}

describe("crossEntropy's host-made one-hot targets = the oneHot ops", () => {
  onBackends(() => {
    const [n, classes] = [300, 3];
    const logits = tf.tensor2d(values(n * classes, 5, 40), [n, classes]);
    const whole = Array.from({ length: n }, (_, i) => (i * 7) % classes);
    const cases: [string, tf.Tensor][] = [
      ["float labels", tf.tensor1d(whole)],
      ["int32 labels", tf.tensor1d(whole, "int32")],
      // Not whole, negative, out of range, NaN, -0: the host declines these, the ops decide.
      ["odd labels", tf.tensor1d(whole.map((l, i) => [l, 1.5, -1, 3, NaN, -0, 2.9][i % 7] as number))],
    ];
    for (const [what, labels] of cases)
      for (const d of [1, -2.5, 0, -0, 3e38, Infinity, NaN, 1e-40]) {
        const dy = tf.scalar(d);
        const [loss, grad] = crossEntropyReference(logits, labels, dy);
        const [fusedLoss, logp] = fusedKernels.crossEntropy!.run(logits, labels) as tf.Tensor[];
        const fusedGrad = fusedKernels.crossEntropyBackward!.run(logp!, labels, dy) as tf.Tensor;
        expectSame(fusedLoss!, loss!, `${what} loss`);
        expectSame(logp!, tf.sub(logits, tf.logSumExp(logits, 1, true)), `${what} log softmax`);
        expectSame(fusedGrad, grad!, `${what} gradient, dy ${d}`);
      }
  });
});

/** The Adam update of one parameter as the kernel composed it from tfjs ops before. */
function adamReference(
  p: tf.Tensor,
  grad: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  [lr, beta1, beta2, eps, step, weightDecay]: number[],
): tf.Tensor[] {
  const g = weightDecay! > 0 ? tf.add(grad, tf.mul(p, weightDecay!)) : grad;
  const m2 = tf.add(tf.mul(m, beta1!), tf.mul(g, 1 - beta1!));
  const v2 = tf.add(tf.mul(v, beta2!), tf.mul(tf.square(g), 1 - beta2!));
  const stepSize = (lr! * Math.sqrt(1 - beta2! ** step!)) / (1 - beta1! ** step!);
  const p2 = tf.sub(p, tf.mul(tf.div(m2, tf.add(tf.sqrt(v2), eps!)), stepSize));
  return [p2, m2, v2];
}

describe("Adam's host loops = the tfjs ops, bit for bit, over steps", () => {
  onBackends(() => {
    const shapes = [[64, 3], [3], [2, 64], [64], [5, 7, 2]];
    for (const hyper of [
      [0.02, 0.9, 0.999, 1e-8, 0],
      [0.05, 0.9, 0.999, 1e-8, 0.01],
      [1e-3, 0.5, 0.75, 0, 0.3],
      [3, 0.99, 0.9999, 1e-3, 1e-40],
    ]) {
      let seed = 1000;
      // p, m and v start from awkward values; every step takes a fresh awkward gradient, and a
      // zero gradient on one step.
      let fused = shapes.map((s) =>
        [0, 1, 2].map((j) => {
          const n = tf.util.sizeFromShape(s);
          const raw = values(n, seed++, 9);
          return tf.tensor(j === 0 ? raw : raw.map((x) => (j === 2 ? Math.abs(x) : x)), s);
        }),
      );
      let plain = fused;
      for (let t = 1; t <= 4; t++) {
        const grads = shapes.map((s) =>
          t === 3 ? tf.zeros(s) : tf.tensor(values(tf.util.sizeFromShape(s), seed++, 5), s),
        );
        const list = fused.flatMap(([p, m, v], i) => [p!, grads[i]!, m!, v!]);
        const out = optimKernels.adamSteps!.run(list, ...hyper.slice(0, 4), t, hyper[4]!) as tf.Tensor[];
        fused = shapes.map((_, i) => out.slice(3 * i, 3 * i + 3));
        plain = plain.map(([p, m, v], i) =>
          adamReference(p!, grads[i]!, m!, v!, [...hyper.slice(0, 4), t, hyper[4]!]),
        );
        fused.forEach((group, i) =>
          group.forEach((x, j) => expectSame(x, plain[i]![j]!, `[${hyper}] step ${t} tensor ${i}.${j}`)),
        );
      }
      // adamStep takes the same path.
      const [p, m, v] = plain[0]!;
      const g = tf.tensor(values(p!.size, 77), p!.shape);
      const one = optimKernels.adamStep!.run(
        p!,
        g,
        m!,
        v!,
        ...hyper.slice(0, 4),
        5,
        hyper[4]!,
      ) as tf.Tensor[];
      adamReference(p!, g, m!, v!, [...hyper.slice(0, 4), 5, hyper[4]!]).forEach((x, j) =>
        expectSame(one[j]!, x, `adamStep ${j}`),
      );
    }
  });

  it("int32 tensors take the tfjs ops (as before)", async () => {
    await tf.setBackend("wasm");
    tf.tidy(() => {
      const p = tf.tensor1d([1, 2, 3], "int32");
      const g = tf.tensor1d([1, -1, 0]);
      const [m, v] = [tf.zeros([3]), tf.zeros([3])];
      const out = optimKernels.adamSteps!.run([p, g, m, v], 0.1, 0.9, 0.999, 1e-8, 1, 0) as tf.Tensor[];
      adamReference(p, g, m, v, [0.1, 0.9, 0.999, 1e-8, 1, 0]).forEach((x, j) =>
        expectSame(out[j]!, x, `int32 ${j}`),
      );
    });
  });
});

/** The SGD update of one parameter as the kernel composed it from tfjs ops before. */
function sgdReference(
  p: tf.Tensor,
  grad: tf.Tensor,
  buffer: tf.Tensor | undefined,
  lr: number,
  momentum: number,
  weightDecay: number,
): tf.Tensor[] {
  const g = weightDecay > 0 ? tf.add(grad, tf.mul(p, weightDecay)) : grad;
  if (momentum <= 0) return [tf.sub(p, tf.mul(g, lr))];
  const b = buffer === undefined ? tf.clone(g) : tf.add(tf.mul(buffer, momentum), g);
  return [tf.sub(p, tf.mul(b, lr)), b];
}

describe("SGD's host loops = the tfjs ops, bit for bit, over steps", () => {
  onBackends(() => {
    const shapes = [[64, 3], [3], [2, 64], [64]];
    for (const [lr, momentum, weightDecay] of [
      [0.1, 0, 0],
      [0.1, 0.9, 0.01],
      [3e-3, 0.5, 0],
      [1, -0.5, 0.2],
      [0.05, NaN, 0],
      [2, 0.99, 1e-40],
    ] as [number, number, number][]) {
      let seed = 2000;
      let fused = shapes.map((s) => [tf.tensor(values(tf.util.sizeFromShape(s), seed++, 9), s)]);
      let plain = fused;
      for (let t = 1; t <= 4; t++) {
        const grads = shapes.map((s) =>
          t === 3 ? tf.zeros(s) : tf.tensor(values(tf.util.sizeFromShape(s), seed++, 5), s),
        );
        const first = t === 1;
        const size = momentum > 0 && !first ? 3 : 2;
        const list = fused.flatMap(([p, b], i) => (size === 3 ? [p!, grads[i]!, b!] : [p!, grads[i]!]));
        const out = optimKernels.sgdSteps!.run(list, lr, momentum, weightDecay, first) as tf.Tensor[];
        const per = out.length / shapes.length;
        fused = shapes.map((_, i) => out.slice(per * i, per * i + per));
        plain = plain.map(([p, b], i) =>
          sgdReference(p!, grads[i]!, size === 3 ? b : undefined, lr, momentum, weightDecay),
        );
        fused.forEach((group, i) => {
          expect(group.length).toBe(plain[i]!.length);
          group.forEach((x, j) =>
            expectSame(x, plain[i]![j]!, `[${lr}, ${momentum}, ${weightDecay}] step ${t} tensor ${i}.${j}`),
          );
        });
      }
    }
  });
});
