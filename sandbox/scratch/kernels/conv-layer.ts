/**
 * A convolution layer fused with the ReLU and the max pooling after it (Conv2d → ReLU → MaxPool2d
 * in a Sequential), forward and backward, each one host call.
 *
 * The op-by-op path takes PyTorch's NCHW and transposes to tfjs's NHWC and back around every
 * convolution and pooling, forward and backward, and recomputes the max pooling in its backward.
 * Here the layer goes to NHWC once on the way in and back once on the way out: the forward hands
 * back, next to its NCHW output, the NHWC tensors its backward needs (the input, the
 * pre-activation, the ReLU output and the pooled output), so the backward recomputes nothing and
 * transposes only what crosses the layer's boundary (dy in, dx out, the filter gradient).
 *
 * Every value is computed by the same float32 operations as the op-by-op path (conv2d, add, relu,
 * maxPool2d; maxPool2dBackward's loops, reluBackward, sumTo, conv2dBackwardInput,
 * conv2dBackwardFilter): transposes only move values, so the numbers are bit for bit the same,
 * ties, NaN and ±Infinity included (sandbox/scratch/test/conv-layer.test.ts compares the bits).
 */
import * as tf from "@tensorflow/tfjs-core";
import { kernel } from "./kernel.js";
import {
  explicit,
  filterGradNHWC,
  pair as pairOf,
  padForPool,
  poolGradValues,
  rank4,
  toHWIO,
  toNCHW,
  toNHWC,
  type Pair,
} from "./nn.js";
import { KernelArgumentError } from "../../kernel/argument-error.js";

/** The layer's settings: the convolution's stride and padding, the pooling's size, stride, padding. */
interface LayerSettings {
  stride: Pair;
  pad: Pair;
  poolSize: Pair;
  poolStride: Pair;
  poolPad: number;
}

function settings(
  stride: number[],
  pad: number[],
  poolSize: number[],
  poolStride: number[],
  poolPad: number,
) {
  return {
    stride: pairOf(stride, "stride"),
    pad: pairOf(pad, "padding"),
    poolSize: pairOf(poolSize, "kernel size"),
    poolStride: pairOf(poolStride, "stride"),
    poolPad,
  } satisfies LayerSettings;
}

/** Refuses a weight that is not [out, in, kh, kw] matching x's channels, or a bias that is not [out]. */
function layerShapes(xChannels: number, w: tf.Tensor, bias?: tf.Tensor): void {
  const [o, i] = rank4(w, "conv2d weight").shape;
  if (i !== xChannels) {
    throw new KernelArgumentError(
      `conv2d: the input has ${xChannels} channels, the weight [${w.shape}] expects ${i}`,
    );
  }
  if (bias !== undefined && (bias.rank !== 1 || bias.shape[0] !== o)) {
    throw new KernelArgumentError(`conv2d: bias must be [${o}], got [${bias.shape}]`);
  }
}

/**
 * maxPool2d(relu(conv2d(x, weight) + bias)) in NCHW, and the NHWC tensors the backward needs:
 * [y, input, pre-activation, relu output, pooled output].
 */
function forward(x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor, s: LayerSettings): tf.Tensor[] {
  layerShapes(rank4(x, "conv2d input").shape[1], w, bias);
  const saved: tf.Tensor[] = [];
  try {
    const xN = toNHWC(x) as tf.Tensor4D;
    saved.push(xN);
    const pre = tf.tidy(() =>
      tf.add(tf.conv2d(xN, toHWIO(w) as tf.Tensor4D, s.stride, explicit(s.pad)), bias),
    );
    saved.push(pre);
    const a = tf.relu(pre) as tf.Tensor4D;
    saved.push(a);
    const yN = tf.tidy(() =>
      tf.maxPool(padForPool("max", a, s.poolSize, s.poolPad), s.poolSize, s.poolStride, "valid"),
    );
    saved.push(yN);
    return [toNCHW(yN), ...saved];
  } catch (error) {
    tf.dispose(saved);
    throw error;
  }
}

/**
 * The gradients of y = maxPool2d(relu(conv2d(x, weight) + bias)) given dy [NCHW] and the saved
 * NHWC tensors: [dx (when inputGrad), dweight, dbias (when biasGrad)].
 */
function backward(
  [xN, w, pre, a, yN, dy]: [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor],
  s: LayerSettings,
  inputGrad: boolean,
  biasGrad: boolean,
): tf.Tensor[] {
  const [n, h, wd, c] = pre.shape as [number, number, number, number];
  const [, oh, ow] = yN.shape as [number, number, number, number];
  if (!tf.util.arraysEqual(dy.shape, [n, c, oh, ow])) {
    throw new KernelArgumentError(
      `conv2dReluMaxPoolBackward: dy must be [${[n, c, oh, ow]}], got [${dy.shape}]`,
    );
  }
  const [hp, wp] = [h + 2 * s.poolPad, wd + 2 * s.poolPad];
  // maxPool2dBackward's loops on the saved values (dy read in NCHW), dA in NHWC.
  const padded = padForPool("max", a as tf.Tensor4D, s.poolSize, s.poolPad);
  let av: Float32Array;
  try {
    av = padded.dataSync() as Float32Array;
  } finally {
    if (padded !== a) padded.dispose();
  }
  const dA = poolGradValues(
    "max",
    av,
    yN.dataSync() as Float32Array,
    dy.dataSync() as Float32Array,
    true,
    [n, hp, wp, c],
    [oh, ow],
    s.poolSize,
    s.poolStride,
    s.poolPad,
    false,
  );
  // reluBackward, then the bias's sumTo (over [c, n, h, w], as sum over NCHW's axes 0, 2, 3
  // transposes it), conv2dBackwardInput and conv2dBackwardFilter, all on the NHWC gradient.
  const dpre = tf.tidy(() => tf.mul(tf.tensor4d(dA, [n, h, wd, c]), tf.step(pre, 0))) as tf.Tensor4D;
  const out: tf.Tensor[] = [];
  try {
    if (inputGrad) {
      const [, xh, xw, xc] = xN.shape as [number, number, number, number];
      out.push(
        tf.tidy(() =>
          toNCHW(
            tf.engine().runKernel("Conv2DBackpropInput", { dy: dpre, filter: toHWIO(w) }, {
              strides: s.stride,
              pad: explicit(s.pad),
              dataFormat: "NHWC",
              dimRoundingMode: undefined,
              inputShape: [n, xh, xw, xc],
            } as unknown as tf.NamedAttrMap) as tf.Tensor,
          ),
        ),
      );
    }
    const [o, i, kh, kw] = w.shape as [number, number, number, number];
    const [ph, pw] = s.pad;
    out.push(
      tf.tidy(() =>
        tf.transpose(
          filterGradNHWC(xN as tf.Tensor4D, dpre, [kh, kw, i, o], s.stride, {
            top: ph,
            bottom: ph,
            left: pw,
            right: pw,
          }),
          [3, 2, 0, 1],
        ),
      ),
    );
    if (biasGrad)
      out.push(tf.tidy(() => tf.reshape(tf.sum(tf.transpose(dpre, [3, 0, 1, 2]), [1, 2, 3]), [c])));
  } catch (error) {
    tf.dispose(out);
    throw error;
  } finally {
    dpre.dispose();
  }
  return out;
}

export const convLayerKernels = {
  /**
   * conv2dReluMaxPool(x, weight, bias, stride, padding, poolSize, poolStride, poolPadding) →
   * [y, x', pre', relu', pooled']: y = maxPool2d(relu(conv2d(x, weight) + bias)) in NCHW, and the
   * input, pre-activation, ReLU output and pooled output in NHWC, for conv2dReluMaxPoolBackward.
   */
  conv2dReluMaxPool: kernel(
    ["tensor", "tensor", "tensor", "ints", "ints", "ints", "ints", "int"],
    (x, w, bias, stride, pad, poolSize, poolStride, poolPad) =>
      forward(x, w, bias, settings(stride, pad, poolSize, poolStride, poolPad)),
  ),
  /**
   * The gradients of conv2dReluMaxPool given the NHWC tensors it returned and dy [NCHW]:
   * [dx (when inputGrad), dweight, dbias (when biasGrad)] — conv2d's, pooling's (a tied window's
   * gradient shared equally) and ReLU's gradients, as the op-by-op backward computes them.
   */
  conv2dReluMaxPoolBackward: kernel(
    [
      "tensor",
      "tensor",
      "tensor",
      "tensor",
      "tensor",
      "tensor",
      "ints",
      "ints",
      "ints",
      "ints",
      "int",
      "bool",
      "bool",
    ],
    (xN, w, pre, a, yN, dy, stride, pad, poolSize, poolStride, poolPad, inputGrad, biasGrad) =>
      backward(
        [xN, w, pre, a, yN, dy],
        settings(stride, pad, poolSize, poolStride, poolPad),
        inputGrad,
        biasGrad,
      ),
  ),
};
