/**
 * Neural-network kernels: matmul, 2-D convolution and pooling (in PyTorch's NCHW layout, converted
 * to tfjs's NHWC inside the kernel), softmax and log-softmax, each with its backward kernel.
 *
 * Backward kernels never call tf.grad: convolution uses tfjs's Conv2DBackpropInput kernel,
 * pooling's gradient is computed by plain loops over the values (see {@link poolBackward}). The wasm backend has no Conv2DBackpropFilter kernel, so the filter
 * gradient is computed as a dilated convolution of the input with the output gradient.
 */
import * as tf from "@tensorflow/tfjs-core";
import { axisOf, kernel } from "./kernel.js";
import { broadcastTo } from "./movement.js";
import { KernelArgumentError } from "../../kernel/argument-error.js";

export type Pair = [number, number];
type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

export const toNHWC = (x: tf.Tensor) => tf.transpose(x, [0, 2, 3, 1]);
export const toNCHW = (x: tf.Tensor) => tf.transpose(x, [0, 3, 1, 2]);
/** PyTorch filter layout [out, in, kh, kw] → tfjs [kh, kw, in, out]. */
export const toHWIO = (w: tf.Tensor) => tf.transpose(w, [2, 3, 1, 0]);

export function pair(values: number[], name: string): Pair {
  const [a, b] = values;
  if (a === undefined || b === undefined || values.length !== 2) {
    throw new KernelArgumentError(`${name} must be two integers [height, width]`);
  }
  return [a, b];
}

export function rank4(x: tf.Tensor, name: string): tf.Tensor4D {
  if (x.rank !== 4) {
    throw new KernelArgumentError(
      `${name} expects a 4-D tensor [batch, channels, height, width], got [${x.shape}]`,
    );
  }
  return x as tf.Tensor4D;
}

export function explicit([ph, pw]: Pair): ExplicitPadding {
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

export type PoolKind = "max" | "avg";

/**
 * Pooling pads explicitly, then pools without padding: max pooling pads with −∞ (a padded cell is
 * never the maximum, so it never takes a gradient), average pooling pads with 0 and divides by the
 * full window k_h·k_w, padded cells included (PyTorch's default `count_include_pad=True`). Forward
 * and backward therefore see the same windows. (tfjs's own padded pooling disagrees with itself:
 * its average pool counts only real cells forward but divides by the full window backward, and its
 * max-pool gradient on wasm sends padded windows' gradient to the wrong cell.)
 */
export function padForPool(kind: PoolKind, x: tf.Tensor4D, size: Pair, pad: number): tf.Tensor4D {
  if (!Number.isInteger(pad) || pad < 0 || 2 * pad > Math.min(...size)) {
    throw new KernelArgumentError(
      `${kind}Pool2d: padding ${pad} must be an integer from 0 to half the kernel size`,
    );
  }
  if (pad === 0) return x;
  const fill = kind === "max" ? Number.NEGATIVE_INFINITY : 0;
  return tf.pad(x, explicit([pad, pad]), fill);
}

export function pool(kind: PoolKind, x: tf.Tensor, size: Pair, stride: Pair, pad: number): tf.Tensor {
  return tf.tidy(() => {
    const nhwc = padForPool(kind, toNHWC(rank4(x, `${kind}Pool2d input`)) as tf.Tensor4D, size, pad);
    // "valid" on the explicitly padded input: a numeric pad makes tfjs size both axes by the
    // height's kernel and stride, wrong for non-square ones.
    const y =
      kind === "max" ? tf.maxPool(nhwc, size, stride, "valid") : tf.avgPool(nhwc, size, stride, "valid");
    return toNCHW(y);
  });
}

/**
 * Pooling's gradient, computed on the host's copy of the values so it is the same on every backend: for every
 * tap (di, dj) of the k_h × k_w window, each window hands the cell under that tap its share of dy —
 * dy / (k_h·k_w) for average pooling; for max pooling dy goes to the cells equal to the window's
 * maximum, split equally between ties (as `max` does).
 */
function poolBackward(
  kind: PoolKind,
  dy: tf.Tensor,
  x: tf.Tensor,
  size: Pair,
  stride: Pair,
  pad: number,
): tf.Tensor {
  // The window arithmetic runs as plain loops over the values (a few array passes); composed
  // from tfjs ops (a strided slice, a comparison and a scatter per tap) it took a hundred times
  // longer. Every value is computed with the same float32 operations in the same order as that
  // composition: ties = Σ_taps [x = y], each = g / ties (max) or g / (kh·kw) (avg), and dx a
  // float32 sum over the taps in order of each tap's each·[x = y] (max) or each (avg).
  const temporaries: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T): T => (temporaries.push(t), t);
  let xv: Float32Array, gv: Float32Array, yv: Float32Array | null, xpShape: number[], gShape: number[];
  try {
    const nhwc = keep(toNHWC(rank4(x, `${kind}Pool2d input`)) as tf.Tensor4D);
    const xp = keep(padForPool(kind, nhwc, size, pad));
    const g = rank4(dy, `${kind}Pool2d gradient`); // read in NCHW by the loops
    yv = kind === "max" ? (keep(tf.maxPool(xp, size, stride, "valid")).dataSync() as Float32Array) : null;
    xv = xp.dataSync() as Float32Array;
    gv = g.dataSync() as Float32Array;
    [xpShape, gShape] = [xp.shape, g.shape];
  } finally {
    tf.dispose(temporaries);
  }
  const [n = 0, hp = 0, wp = 0, c = 0] = xpShape;
  const [, , oh = 0, ow = 0] = gShape;
  const dx = poolGradValues(kind, xv, yv, gv, true, [n, hp, wp, c], [oh, ow], size, stride, pad, true);
  return tf.tensor4d(dx, [n, c, hp - 2 * pad, wp - 2 * pad]);
}

/**
 * The loops of pooling's gradient (see {@link poolBackward}): `xv` is the padded input in NHWC
 * [n, hp, wp, c], `yv` the pooled values in NHWC (null for average pooling), `gv` the output
 * gradient, in NCHW when `gNCHW` and NHWC otherwise. Returns the input gradient with the padding
 * cropped, in NCHW when `outNCHW` and NHWC otherwise — the same float32 values either way.
 */
export function poolGradValues(
  kind: PoolKind,
  xv: Float32Array,
  yv: Float32Array | null,
  gv: Float32Array,
  gNCHW: boolean,
  [n, hp, wp, c]: [number, number, number, number],
  [oh, ow]: Pair,
  size: Pair,
  stride: Pair,
  pad: number,
  outNCHW: boolean,
): Float32Array {
  const [kh, kw] = size;
  const [sh, sw] = stride;
  const windows = n * oh * ow * c;
  if (yv !== null && sh >= kh && sw >= kw) {
    // Windows that do not overlap: a cell takes at most one share, so the window-by-window order
    // below adds the same values as the tap-by-tap passes, without their index arrays.
    const dxPadded = maxPoolGradDisjoint(xv, yv, gv, gNCHW, [n, hp, wp, c], [oh, ow], size, stride);
    return cropPooled(dxPadded, [n, hp, wp, c], pad, outNCHW);
  }
  // The padded-input offset of each window's top-left cell; tap (di, dj) is `(di·wp + dj)·c` on.
  const corner = new Int32Array(windows);
  for (let b = 0, w = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let ch = 0; ch < c; ch++) corner[w++] = ((b * hp + i * sh) * wp + j * sw) * c + ch;
  // The output gradient of each window, in the windows' (NHWC) order.
  let g = gv;
  if (gNCHW) {
    g = new Float32Array(windows);
    for (let b = 0, w = 0; b < n; b++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++)
          for (let ch = 0; ch < c; ch++) g[w++] = gv[((b * c + ch) * oh + i) * ow + j] as number;
  }
  const each = new Float32Array(windows);
  if (yv === null) for (let w = 0; w < windows; w++) each[w] = (g[w] as number) / (kh * kw);
  else {
    const ties = new Float32Array(windows);
    for (let di = 0; di < kh; di++)
      for (let dj = 0; dj < kw; dj++)
        for (let w = 0, tap = (di * wp + dj) * c; w < windows; w++)
          if (xv[(corner[w] as number) + tap] === yv[w]) ties[w]! += 1;
    for (let w = 0; w < windows; w++) each[w] = (g[w] as number) / (ties[w] as number);
  }
  const dxPadded = new Float32Array(n * hp * wp * c);
  for (let di = 0; di < kh; di++)
    for (let dj = 0; dj < kw; dj++)
      for (let w = 0, tap = (di * wp + dj) * c; w < windows; w++) {
        const at = (corner[w] as number) + tap;
        const share =
          yv === null ? (each[w] as number) : Math.fround((each[w] as number) * (xv[at] === yv[w] ? 1 : 0));
        dxPadded[at]! += share;
      }
  return cropPooled(dxPadded, [n, hp, wp, c], pad, outNCHW);
}

/**
 * Max pooling's gradient when no two windows overlap (stride ≥ kernel on both axes), window by
 * window: ties = #{taps with x = y}, each = g / ties rounded to float32, and every tap's cell gets
 * 0 + each·[x = y] rounded to float32 — the float32 operations of {@link poolGradValues}'s passes,
 * which give each cell the one share it takes. Returns the padded input's gradient, NHWC.
 */
function maxPoolGradDisjoint(
  xv: Float32Array,
  yv: Float32Array,
  gv: Float32Array,
  gNCHW: boolean,
  shape: [number, number, number, number],
  out: Pair,
  size: Pair,
  stride: Pair,
): Float32Array {
  const [n, hp, wp, c] = shape;
  const [oh, ow] = out;
  const [kh, kw] = size;
  const [sh, sw] = stride;
  const dx = new Float32Array(n * hp * wp * c);
  const row = wp * c;
  // dy's offset of window (b, i, j, ch) moves by `gStep` along ch, in NCHW or NHWC.
  const gStep = gNCHW ? oh * ow : 1;
  for (let b = 0, w = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        const corner = (b * hp + i * sh) * row + j * sw * c;
        let gAt = gNCHW ? (b * c * oh + i) * ow + j : w;
        for (let ch = 0; ch < c; ch++, w++, gAt += gStep) {
          const top = corner + ch;
          const y = yv[w] as number;
          let ties = 0;
          for (let di = 0, r = top; di < kh; di++, r += row)
            for (let dj = 0, at = r; dj < kw; dj++, at += c) if (xv[at] === y) ties++;
          const each = Math.fround((gv[gAt] as number) / ties);
          // each·1 = each and each·0 = ±0 (NaN for ±∞ or NaN), already float32; 0 + ±0 = 0.
          const miss = each * 0;
          for (let di = 0, r = top; di < kh; di++, r += row)
            for (let dj = 0, at = r; dj < kw; dj++, at += c) dx[at] = 0 + (xv[at] === y ? each : miss);
        }
      }
  return dx;
}

/** Crops pooling's padding off an NHWC gradient [n, hp, wp, c], in NCHW when `outNCHW`. */
function cropPooled(
  dxPadded: Float32Array,
  [n, hp, wp, c]: [number, number, number, number],
  pad: number,
  outNCHW: boolean,
): Float32Array {
  const [h, wd] = [hp - 2 * pad, wp - 2 * pad];
  if (!outNCHW && pad === 0) return dxPadded;
  const dx = new Float32Array(n * c * h * wd);
  if (outNCHW)
    for (let b = 0; b < n; b++)
      for (let ch = 0; ch < c; ch++)
        for (let i = 0; i < h; i++)
          for (let j = 0; j < wd; j++)
            dx[((b * c + ch) * h + i) * wd + j] = dxPadded[
              ((b * hp + i + pad) * wp + j + pad) * c + ch
            ] as number;
  else
    for (let b = 0, k = 0; b < n; b++)
      for (let i = 0; i < h; i++)
        for (let j = 0; j < wd; j++)
          for (let ch = 0; ch < c; ch++)
            dx[k++] = dxPadded[((b * hp + i + pad) * wp + j + pad) * c + ch] as number;
  return dx;
}

/**
 * Matrix product whose batch dimensions broadcast like NumPy's on both sides: both operands are
 * broadcast to the common batch shape and flattened to rank 3 first (tfjs's BatchMatMul mis-sizes
 * the result when each side has a batch dimension of size 1 the other lacks).
 */
export function batchMatMul(a: tf.Tensor, b: tf.Tensor, ta: boolean, tb: boolean): tf.Tensor {
  if (a.rank === 2 && b.rank === 2) return matMul2d(a, b, ta, tb);
  return tf.tidy(() => {
    const inner = (t: tf.Tensor, transposed: boolean): [number, number] => {
      const r = t.shape[t.rank - 2] ?? 0;
      const c = t.shape[t.rank - 1] ?? 0;
      return transposed ? [c, r] : [r, c];
    };
    const [m, ka] = inner(a, ta);
    const [kb, n] = inner(b, tb);
    if (ka !== kb) {
      throw new KernelArgumentError(`matmul: inner dimensions differ (${ka} vs ${kb})`);
    }
    const batch = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const count = batch.reduce((x, y) => x * y, 1);
    const flat = (t: tf.Tensor): tf.Tensor3D => {
      const [r = 0, c = 0] = t.shape.slice(-2);
      return tf.reshape(broadcastTo(t, [...batch, r, c]), [count, r, c]);
    };
    const product = tf.matMul(flat(a), flat(b), ta, tb);
    return tf.reshape(product, [...batch, m, n]);
  });
}

/**
 * batchMatMul of two matrices: tf.matMul straight away, transposes as its flags. Both backends
 * reshape a rank-2 operand to [1, rows, columns] inside their BatchMatMul kernel, as the
 * broadcast-and-flatten of the general path does, so the product is the same bits without its
 * broadcast, reshapes and scope.
 *
 * On wasm, a product with a transposed operand and a shared axis of at most 48 is computed from
 * the explicitly transposed operands instead. tfjs wasm hands an untransposed product to
 * XNNPACK and runs any other in a scalar loop that sums the shared axis in blocks of 48, each
 * block's products summed in order from 0 and the block sums added to the output (from 0); with
 * one block that is XNNPACK's order too (the products in order, from 0), so the bits are the
 * same, about ten times faster (dy · Wᵀ of a Linear's backward: 230 → 25 µs). Longer shared
 * axes keep the flags, whose blocked sums XNNPACK would not reproduce. Checked bit for bit,
 * NaN and ±∞ included, on the SIMD and the scalar wasm builds (test/host-kernels.test.ts runs
 * the one Node loads).
 */
export function matMul2d(a: tf.Tensor, b: tf.Tensor, ta: boolean, tb: boolean): tf.Tensor {
  const ka = a.shape[ta ? 0 : 1];
  const kb = b.shape[tb ? 1 : 0];
  if (ka !== kb) {
    throw new KernelArgumentError(`matmul: inner dimensions differ (${ka} vs ${kb})`);
  }
  if ((ta || tb) && oneXnnBlock(a, b, ka as number)) {
    const a2 = ta ? tf.transpose(a) : a;
    let b2: tf.Tensor | undefined;
    try {
      b2 = tb ? tf.transpose(b) : b;
      return tf.matMul(a2 as tf.Tensor2D, b2 as tf.Tensor2D);
    } finally {
      if (ta) a2.dispose();
      if (tb) b2?.dispose();
    }
  }
  return tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D, ta, tb);
}

/** The block of tfjs wasm's loop over the shared axis of a matrix product. */
const WASM_MATMUL_BLOCK = 48;

/** Whether a product of these float32 matrices sums its shared axis of `k` in one wasm block. */
function oneXnnBlock(a: tf.Tensor, b: tf.Tensor, k: number): boolean {
  return (
    k >= 1 &&
    k <= WASM_MATMUL_BLOCK &&
    a.size > 0 &&
    b.size > 0 &&
    a.dtype === "float32" &&
    b.dtype === "float32" &&
    tf.getBackend() === "wasm"
  );
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
      throw new KernelArgumentError(`matmul needs tensors of rank ≥ 2, got [${a.shape}] and [${b.shape}]`);
    }
    return batchMatMul(a, b, ta, tb);
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
