/**
 * The baselines of the client training benchmark: the spirals MLP and the MNIST CNN written
 * directly against tfjs (tf.variableGrads, tf.train.adam, NHWC convolutions), in a Web Worker of
 * the same page on the same backend as the room's runner (kernels/backend-browser.ts: tfjs wasm,
 * threaded under cross-origin isolation). Same data, sizes, steps and batch sizes as
 * sandbox/scratch/test/programs/{spirals-mlp,mnist-cnn}.js.
 */
import * as tf from "@tensorflow/tfjs-core";
import { initBrowserBackend } from "../../sandbox/scratch/kernels/backend-browser.js";
import { createDataKernels } from "../../sandbox/scratch/kernels/data.js";
import { browserDataSource } from "../../sandbox/scratch/kernels/data-browser.js";

const uniform = (shape: number[], fanIn: number) =>
  tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn), "float32", 0));

const crossEntropy = (logits: tf.Tensor, labels: tf.Tensor) =>
  tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), labels), 1))) as tf.Scalar;

/** Three spirals of 100 points, as data.spirals({ n: 100, classes: 3, noise: 0.2 }). */
function spiralsData(): [tf.Tensor2D, tf.Tensor2D] {
  const points: number[][] = [];
  const labels: number[] = [];
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < 100; i++) {
      const r = i / 100;
      const theta = c * 4 + (4 * i) / 100 + (Math.random() - 0.5) * 0.4;
      points.push([r * Math.sin(theta), r * Math.cos(theta)]);
      labels.push(c);
    }
  }
  return [tf.tensor2d(points), tf.oneHot(tf.tensor1d(labels, "int32"), 3) as tf.Tensor2D];
}

function spirals(): number {
  const [x, y] = spiralsData();
  const w1 = uniform([2, 64], 2);
  const b1 = uniform([64], 2);
  const w2 = uniform([64, 3], 64);
  const b2 = uniform([3], 64);
  const opt = tf.train.adam(0.02);
  const forward = () => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2);
  for (let step = 0; step < 300; step++) {
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => crossEntropy(forward(), y));
      opt.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
      value.dataSync(); // the program reads the loss each step (l.item())
    });
  }
  const accuracy = tf.tidy(() => tf.mean(tf.equal(tf.argMax(forward(), 1), tf.argMax(y, 1))).dataSync()[0]!);
  tf.dispose([x, y, w1, b1, w2, b2]);
  opt.dispose();
  return accuracy;
}

function mnist(): number {
  const [x, y] = createDataKernels(browserDataSource).dataMnist!.run(6000, 0) as [tf.Tensor2D, tf.Tensor1D];
  const images = tf.reshape(x, [-1, 28, 28, 1]);
  const labels = tf.oneHot(tf.cast(y, "int32"), 10);
  const train = 4500;
  const k1 = uniform([3, 3, 1, 8], 9) as tf.Variable<tf.Rank.R4>;
  const c1 = uniform([8], 9);
  const k2 = uniform([3, 3, 8, 16], 72) as tf.Variable<tf.Rank.R4>;
  const c2 = uniform([16], 72);
  const w = uniform([16 * 7 * 7, 10], 784);
  const b = uniform([10], 784);
  const opt = tf.train.adam(0.005);
  const forward = (batch: tf.Tensor) => {
    const h1 = tf.maxPool(
      tf.relu(tf.add(tf.conv2d(batch as tf.Tensor4D, k1, 1, "same"), c1)) as tf.Tensor4D,
      2,
      2,
      "valid",
    );
    const h2 = tf.maxPool(tf.relu(tf.add(tf.conv2d(h1, k2, 1, "same"), c2)) as tf.Tensor4D, 2, 2, "valid");
    return tf.add(tf.matMul(tf.reshape(h2, [-1, 16 * 7 * 7]), w), b);
  };
  for (let epoch = 0; epoch < 2; epoch++) {
    const order = tf.util.createShuffledIndices(train);
    for (let start = 0; start < train; start += 64) {
      tf.tidy(() => {
        const idx = tf.tensor1d(Array.from(order.slice(start, start + 64)), "int32");
        const bx = tf.gather(images, idx);
        const by = tf.gather(labels, idx);
        const { grads } = tf.variableGrads(() => crossEntropy(forward(bx), by));
        opt.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
      });
    }
  }
  const accuracy = tf.tidy(() => {
    const testX = tf.slice(images, [train, 0, 0, 0], [-1, -1, -1, -1]);
    const testY = tf.slice(labels, [train, 0], [-1, -1]);
    return tf.mean(tf.equal(tf.argMax(forward(testX), 1), tf.argMax(testY, 1))).dataSync()[0]!;
  });
  tf.dispose([x, y, images, labels, k1, c1, k2, c2, w, b]);
  opt.dispose();
  return accuracy;
}

const PROGRAMS = { spirals, mnist } as const;

self.addEventListener("message", (e: MessageEvent<keyof typeof PROGRAMS>) => {
  void (async () => {
    const device = await initBrowserBackend();
    const t0 = performance.now();
    const accuracy = PROGRAMS[e.data]();
    postMessage({ ms: performance.now() - t0, accuracy, device });
  })();
});
