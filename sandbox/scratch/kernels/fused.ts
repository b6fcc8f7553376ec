/**
 * Fused training kernels: a Linear layer's forward and its whole backward (alone, or with the ReLU
 * that follows it in a Sequential), and cross-entropy with
 * its backward, each one host call where the op-by-op graph takes three to six. A small model's
 * training step is dominated by the cost of a call (the sandbox bridge, the guest's autograd
 * bookkeeping), not by the arithmetic, so these are where a training loop's time goes down.
 *
 * Each kernel runs exactly the tfjs ops, in the same order, that the unfused kernels the guest
 * would otherwise call run (matmul, add, relu, reluBackward, sumTo; oneHot, logSoftmax, mul, sum, divNumber,
 * broadcastTo, logSoftmaxBackward), so a program computes bit-for-bit the same numbers fused or
 * not — and the same in the room, the CLI and verify.
 */
import * as tf from "@tensorflow/tfjs-core";
import { kernel } from "./kernel.js";
import { batchMatMul, logSoftmax } from "./nn.js";
import { broadcastTo } from "./movement.js";
import { sumTo } from "./reduce.js";
import { KernelArgumentError } from "../../kernel/argument-error.js";

/** Refuses anything but x [n, in], weight [in, out] and, when given, bias [out]. */
function linearShapes(x: tf.Tensor, w: tf.Tensor, bias?: tf.Tensor): void {
  if (x.rank !== 2 || w.rank !== 2 || x.shape[1] !== w.shape[0]) {
    throw new KernelArgumentError(
      `linear: needs x [n, in] and weight [in, out], got [${x.shape}] and [${w.shape}]`,
    );
  }
  if (bias !== undefined && (bias.rank !== 1 || bias.shape[0] !== w.shape[1])) {
    throw new KernelArgumentError(`linear: bias must be [${w.shape[1]}], got [${bias.shape}]`);
  }
}

/** [dx (when inputGrad), dW, db (when biasGrad)] of y = x @ w + b given dy. */
function linearGrads(
  x: tf.Tensor,
  w: tf.Tensor,
  dy: tf.Tensor,
  inputGrad: boolean,
  biasGrad: boolean,
): tf.Tensor[] {
  const out: tf.Tensor[] = [];
  try {
    if (inputGrad) out.push(batchMatMul(dy, w, false, true));
    out.push(batchMatMul(x, dy, true, false));
    if (biasGrad) out.push(sumTo(dy, [w.shape[1] as number]));
  } catch (error) {
    tf.dispose(out);
    throw error;
  }
  return out;
}

/** Refuses logits that are not [n, classes] or labels that are not [n]. */
function crossEntropyShapes(logits: tf.Tensor, labels: tf.Tensor): void {
  if (
    logits.rank !== 2 ||
    (logits.shape[1] as number) < 2 ||
    labels.rank !== 1 ||
    labels.shape[0] !== logits.shape[0]
  ) {
    throw new KernelArgumentError(
      `crossEntropy: needs logits [n, classes ≥ 2] and labels [n], got [${logits.shape}] and [${labels.shape}]`,
    );
  }
}

/** The one-hot targets of labels, as the oneHot kernel makes them. */
const targetsOf = (labels: tf.Tensor, classes: number) =>
  hostTargets(labels, classes, 1) ?? tf.cast(tf.oneHot(tf.cast(labels, "int32"), classes), "float32");

/**
 * `scale` · oneHot(labels) rounded to float32, written on the host and uploaded as one tensor, when
 * every label is a whole number in [0, classes): then each element is scale·1 = scale or scale·0,
 * the float32 product tf.mul computes (scale is a float32 value), and the one-hot row the oneHot
 * kernel makes of the label. Anything else (a fraction, NaN, a label out of range) returns
 * undefined, and the caller runs the tfjs ops, whose casts decide those cases.
 */
function hostTargets(labels: tf.Tensor, classes: number, scale: number): tf.Tensor | undefined {
  if (labels.dtype !== "float32" && labels.dtype !== "int32") return undefined;
  const values = labels.dataSync() as Float32Array | Int32Array;
  const n = values.length;
  const out = new Float32Array(n * classes);
  const miss = Math.fround(scale * 0);
  if (miss !== 0 || !Object.is(miss, 0)) out.fill(miss);
  for (let i = 0; i < n; i++) {
    const label = values[i] as number;
    if (!(Number.isInteger(label) && label >= 0 && label < classes)) return undefined;
    out[i * classes + label] = scale;
  }
  return tf.tensor2d(out, [n, classes], "float32");
}

/** The product of two matrices (x [n, in] @ w [in, out]) plus a bias row, as linear computes it. */
function affine(x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const product = batchMatMul(x, w, false, false);
  try {
    return tf.add(product, bias);
  } finally {
    product.dispose();
  }
}

export const fusedKernels = {
  /** linear(x, weight, bias) = x @ weight + bias, for x [n, in], weight [in, out], bias [out]. */
  linear: kernel(["tensor", "tensor", "tensor"], (x, w, bias) => {
    linearShapes(x, w, bias);
    return affine(x, w, bias);
  }),
  /**
   * The gradients of y = x @ weight (+ bias) given dy [n, out]: dx = dy · weightᵀ (only when
   * `inputGrad`), dWeight = xᵀ · dy, dBias = Σ_rows dy (only when `biasGrad`), returned in that
   * order, leaving out the ones not asked for.
   */
  linearBackward: kernel(["tensor", "tensor", "tensor", "bool", "bool"], (x, w, dy, inputGrad, biasGrad) => {
    linearShapes(x, w);
    if (dy.rank !== 2 || dy.shape[0] !== x.shape[0] || dy.shape[1] !== w.shape[1]) {
      throw new KernelArgumentError(
        `linearBackward: dy must be [${x.shape[0]}, ${w.shape[1]}], got [${dy.shape}]`,
      );
    }
    return linearGrads(x, w, dy, inputGrad, biasGrad);
  }),
  /**
   * linearRelu(x, weight, bias) → [relu(x @ weight + bias), x @ weight + bias]: a Linear layer and
   * the ReLU after it; the pre-activation comes back too, for linearReluBackward.
   */
  linearRelu: kernel(["tensor", "tensor", "tensor"], (x, w, bias) => {
    linearShapes(x, w, bias);
    const pre = affine(x, w, bias);
    try {
      return [tf.relu(pre), pre];
    } catch (error) {
      pre.dispose();
      throw error;
    }
  }),
  /**
   * The gradients of y = relu(x @ weight + bias) given dy and the pre-activation: dpre = dy where
   * pre > 0 (else 0), then as linearBackward with dpre.
   */
  linearReluBackward: kernel(
    ["tensor", "tensor", "tensor", "tensor", "bool", "bool"],
    (x, w, pre, dy, inputGrad, biasGrad) => {
      linearShapes(x, w);
      const shape = [x.shape[0] as number, w.shape[1] as number];
      if (!tf.util.arraysEqual(pre.shape, shape) || !tf.util.arraysEqual(dy.shape, shape)) {
        throw new KernelArgumentError(
          `linearReluBackward: pre-activation and dy must be [${shape}], got [${pre.shape}] and [${dy.shape}]`,
        );
      }
      const mask = tf.step(pre, 0);
      let dpre: tf.Tensor;
      try {
        dpre = tf.mul(dy, mask);
      } finally {
        mask.dispose();
      }
      try {
        return linearGrads(x, w, dpre, inputGrad, biasGrad);
      } finally {
        dpre.dispose();
      }
    },
  ),
  /**
   * crossEntropy(logits, labels) → [loss, log softmax(logits)]: the mean cross-entropy of logits
   * [n, classes] against class labels [n], −Σ log softmax(logits) · oneHot(labels) / n; the log
   * softmax comes back too, for crossEntropyBackward.
   */
  crossEntropy: kernel(["tensor", "tensor"], (logits, labels) => {
    crossEntropyShapes(logits, labels);
    const [n, classes] = logits.shape as [number, number];
    const y = logSoftmax(logits, 1);
    try {
      return [tf.tidy(() => tf.div(tf.sum(tf.mul(y, targetsOf(labels, classes))), -n)), y];
    } catch (error) {
      y.dispose();
      throw error;
    }
  }),
  /**
   * The gradient of crossEntropy(logits, labels) given y = log softmax(logits) (as crossEntropy
   * returns it) and the loss's gradient dy (a scalar):
   * dlogits = g − exp(y) · Σ_classes g with g = oneHot(labels) · dy / −n.
   */
  crossEntropyBackward: kernel(["tensor", "tensor", "tensor"], (y, labels, dy) => {
    crossEntropyShapes(y, labels);
    if (dy.size !== 1 || dy.rank !== 0) {
      throw new KernelArgumentError(`crossEntropyBackward: dy must be a scalar, got [${dy.shape}]`);
    }
    const [n, classes] = y.shape as [number, number];
    return tf.tidy(() => {
      // dy / −n is one float32 number: read, it scales the one-hot targets on the host.
      const scale =
        dy.dtype === "float32" ? Math.fround((dy.dataSync()[0] as number) / Math.fround(-n)) : NaN;
      const g =
        (Number.isNaN(scale) ? undefined : hostTargets(labels, classes, scale)) ??
        tf.mul(broadcastTo(tf.div(dy, -n), [n, classes]), targetsOf(labels, classes));
      return tf.sub(g, tf.mul(tf.exp(y), tf.sum(g, 1, true)));
    });
  }),
};
