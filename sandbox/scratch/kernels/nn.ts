/**
 * Neural-network kernels: matmul, 2-D convolution and pooling (in PyTorch's NCHW layout, converted
 * to tfjs's NHWC inside the kernel), softmax and log-softmax, each with its backward kernel.
 *
 * Backward kernels call tfjs's gradient kernels directly (Conv2DBackpropInput, MaxPoolGrad,
 * AvgPoolGrad) — never tf.grad. The wasm backend has no Conv2DBackpropFilter kernel, so the filter
 * gradient is computed as a dilated convolution of the input with the output gradient.
 */
import * as tf from "@tensorflow/tfjs-core";
import { axisOf, kernel } from "./kernel.js";

type Pair = [number, number];
type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

const toNHWC = (x: tf.Tensor) => tf.transpose(x, [0, 2, 3, 1]);
const toNCHW = (x: tf.Tensor) => tf.transpose(x, [0, 3, 1, 2]);
/** PyTorch filter layout [out, in, kh, kw] → tfjs [kh, kw, in, out]. */
const toHWIO = (w: tf.Tensor) => tf.transpose(w, [2, 3, 1, 0]);

function pair(values: number[], name: string): Pair {
  const [a, b] = values;
  if (a === undefined || b === undefined || values.length !== 2) {
    throw new RangeError(`${name} must be two integers [height, width]`);
  }
  return [a, b];
}

function rank4(x: tf.Tensor, name: string): tf.Tensor4D {
  if (x.rank !== 4) {
    throw new RangeError(`${name} expects a 4-D tensor [batch, channels, height, width], got [${x.shape}]`);
  }
  return x as tf.Tensor4D;
}

function explicit([ph, pw]: Pair): ExplicitPadding {
  return [
    [0, 0],
    [ph, ph],
    [pw, pw],
    [0, 0],
  ];
}

export function conv2d(x: tf.Tensor, w: tf.Tensor, stride: Pair, pad: Pair): tf.Tensor {
  return tf.tidy(() =>
    toNCHW(
      tf.conv2d(
        toNHWC(rank4(x, "conv2d input")) as tf.Tensor4D,
        toHWIO(rank4(w, "conv2d weight")) as tf.Tensor4D,
        stride,
        explicit(pad),
      ),
    ),
  );
}

/** Gradient of conv2d with respect to its input, in NCHW. */
export function conv2dBackwardInput(
  dy: tf.Tensor,
  w: tf.Tensor,
  xShape: number[],
  stride: Pair,
  pad: Pair,
): tf.Tensor {
  return tf.tidy(() => {
    const [n, c, h, wd] = xShape;
    const dx = tf.engine().runKernel("Conv2DBackpropInput", { dy: toNHWC(dy), filter: toHWIO(w) }, {
      strides: stride,
      pad: explicit(pad),
      dataFormat: "NHWC",
      dimRoundingMode: undefined,
      inputShape: [n, h, wd, c],
    } as unknown as tf.NamedAttrMap) as tf.Tensor;
    return toNCHW(dx);
  });
}

/**
 * Gradient of conv2d with respect to the filter (NHWC in, HWIO out): for each filter tap, the sum
 * over batch and positions of input × output gradient — which is itself a convolution of the
 * (padded) input, batch and channels swapped, with the output gradient as a filter dilated by the
 * stride.
 */
export function filterGradNHWC(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: readonly number[],
  stride: Pair,
  padInfo: { top: number; bottom: number; left: number; right: number },
): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh = 0, kw = 0] = filterShape;
    const padded = tf.pad(x, [
      [0, 0],
      [padInfo.top, padInfo.bottom],
      [padInfo.left, padInfo.right],
      [0, 0],
    ]);
    const xT = tf.transpose(padded, [3, 1, 2, 0]) as tf.Tensor4D; // [C, Hp, Wp, N]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [OH, OW, N, O]
    const full = tf.conv2d(xT, dyT, 1, "valid", "NHWC", stride); // [C, ≥kh, ≥kw, O]
    const taps = tf.slice(full, [0, 0, 0, 0], [-1, kh, kw, -1]);
    return tf.transpose(taps, [1, 2, 0, 3]) as tf.Tensor4D; // [kh, kw, C, O]
  });
}

export function conv2dBackwardFilter(
  x: tf.Tensor,
  dy: tf.Tensor,
  wShape: number[],
  stride: Pair,
  pad: Pair,
): tf.Tensor {
  return tf.tidy(() => {
    const [o, i, kh, kw] = wShape;
    const [ph, pw] = pad;
    const hwio = filterGradNHWC(
      toNHWC(x) as tf.Tensor4D,
      toNHWC(dy) as tf.Tensor4D,
      [kh ?? 0, kw ?? 0, i ?? 0, o ?? 0],
      stride,
      { top: ph, bottom: ph, left: pw, right: pw },
    );
    return tf.transpose(hwio, [3, 2, 0, 1]); // [out, in, kh, kw]
  });
}

type PoolKind = "max" | "avg";

function pool(kind: PoolKind, x: tf.Tensor, size: Pair, stride: Pair, pad: number): tf.Tensor {
  return tf.tidy(() => {
    const nhwc = toNHWC(rank4(x, `${kind}Pool2d input`)) as tf.Tensor4D;
    const y = kind === "max" ? tf.maxPool(nhwc, size, stride, pad) : tf.avgPool(nhwc, size, stride, pad);
    return toNCHW(y);
  });
}

function poolBackward(
  kind: PoolKind,
  dy: tf.Tensor,
  x: tf.Tensor,
  size: Pair,
  stride: Pair,
  pad: number,
): tf.Tensor {
  return tf.tidy(() => {
    const input = toNHWC(x);
    const dyNHWC = toNHWC(dy);
    const attrs = { filterSize: size, strides: stride, pad, dimRoundingMode: undefined };
    const dx =
      kind === "max"
        ? tf
            .engine()
            .runKernel(
              "MaxPoolGrad",
              { dy: dyNHWC, input, output: tf.maxPool(input as tf.Tensor4D, size, stride, pad) },
              attrs as unknown as tf.NamedAttrMap,
            )
        : tf.engine().runKernel("AvgPoolGrad", { dy: dyNHWC, input }, attrs as unknown as tf.NamedAttrMap);
    return toNCHW(dx as tf.Tensor);
  });
}

export function logSoftmax(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.tidy(() => tf.sub(x, tf.logSumExp(x, axisOf(axis, x.rank), true)));
}

export function softmax(x: tf.Tensor, axis: number): tf.Tensor {
  return tf.tidy(() => tf.exp(logSoftmax(x, axis)));
}

export const nnKernels = {
  /** matmul(a, b, transposeA, transposeB): batch dimensions broadcast. */
  matmul: kernel(["tensor", "tensor", "bool", "bool"], (a, b, ta, tb) => {
    if (a.rank < 2 || b.rank < 2) {
      throw new RangeError(`matmul needs tensors of rank ≥ 2, got [${a.shape}] and [${b.shape}]`);
    }
    return tf.matMul(a, b, ta, tb);
  }),
  conv2d: kernel(["tensor", "tensor", "ints", "ints"], (x, w, stride, pad) =>
    conv2d(x, w, pair(stride, "stride"), pair(pad, "padding")),
  ),
  conv2dBackwardInput: kernel(["tensor", "tensor", "ints", "ints", "ints"], (dy, w, xShape, stride, pad) =>
    conv2dBackwardInput(dy, w, xShape, pair(stride, "stride"), pair(pad, "padding")),
  ),
  conv2dBackwardFilter: kernel(["tensor", "tensor", "ints", "ints", "ints"], (x, dy, wShape, stride, pad) =>
    conv2dBackwardFilter(x, dy, wShape, pair(stride, "stride"), pair(pad, "padding")),
  ),
  maxPool2d: kernel(["tensor", "ints", "ints", "int"], (x, size, stride, pad) =>
    pool("max", x, pair(size, "kernel size"), pair(stride, "stride"), pad),
  ),
  maxPool2dBackward: kernel(["tensor", "tensor", "ints", "ints", "int"], (dy, x, size, stride, pad) =>
    poolBackward("max", dy, x, pair(size, "kernel size"), pair(stride, "stride"), pad),
  ),
  avgPool2d: kernel(["tensor", "ints", "ints", "int"], (x, size, stride, pad) =>
    pool("avg", x, pair(size, "kernel size"), pair(stride, "stride"), pad),
  ),
  avgPool2dBackward: kernel(["tensor", "tensor", "ints", "ints", "int"], (dy, x, size, stride, pad) =>
    poolBackward("avg", dy, x, pair(size, "kernel size"), pair(stride, "stride"), pad),
  ),
  softmax: kernel(["tensor", "int"], (x, axis) => softmax(x, axis)),
  logSoftmax: kernel(["tensor", "int"], (x, axis) => logSoftmax(x, axis)),
  /** Given y = softmax(x): dx = y · (dy − Σ dy·y). */
  softmaxBackward: kernel(["tensor", "tensor", "int"], (y, dy, axis) =>
    tf.tidy(() => tf.mul(y, tf.sub(dy, tf.sum(tf.mul(dy, y), axisOf(axis, y.rank), true)))),
  ),
  /** Given y = logSoftmax(x): dx = dy − softmax(x) · Σ dy. */
  logSoftmaxBackward: kernel(["tensor", "tensor", "int"], (y, dy, axis) =>
    tf.tidy(() => tf.sub(dy, tf.mul(tf.exp(y), tf.sum(dy, axisOf(axis, y.rank), true)))),
  ),
};
