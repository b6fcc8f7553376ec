/**
 * The gradient oracle: reference forward functions written directly against tfjs, differentiated
 * by tfjs's own autodiff (tf.grads). Only `scratch/check` (gradCheck, oracle) and the tests use
 * these — the engine itself never does.
 *
 * tfjs-core alone registers no gradients: the browser set-up imports them all; in Node the full
 * @tensorflow/tfjs bundle that registers them is loaded on the oracle's first use (see
 * {@link useGradientLoader}), so runs that never check gradients do not pay for it.
 *
 * Each reference op takes the same inputs and attributes as the guest op of the same name, in the
 * same layouts (NCHW images, [in, out] Linear weights).
 */
import * as tf from "@tensorflow/tfjs-core";
import { axisOf, kernel } from "./kernel.js";
import { broadcastTo } from "./movement.js";
import { conv2d, logSoftmax, pool, softmax } from "./nn.js";
import { KernelArgumentError } from "../../kernel/argument-error.js";

/** Attributes of a reference op, decoded from the guest's JSON. */
export interface OracleAttrs {
  axis?: number | number[];
  keepDims?: boolean;
  shape?: number[];
  perm?: number[];
  begin?: number[];
  size?: number[];
  stride?: number[];
  padding?: number[];
  kernelSize?: number[];
  eps?: number;
  min?: number;
  max?: number;
}

interface ReferenceOp {
  f(inputs: tf.Tensor[], attrs: OracleAttrs): tf.Tensor;
  /** Indices of inputs that are not differentiated (labels, indices, conditions). */
  constant?: number[];
}

function at(inputs: tf.Tensor[], i: number): tf.Tensor {
  const t = inputs[i];
  if (t === undefined) throw new KernelArgumentError(`the reference op needs input ${i}`);
  return t;
}

const unaryOp = (f: (x: tf.Tensor) => tf.Tensor): ReferenceOp => ({ f: (xs) => f(at(xs, 0)) });
/**
 * Broadcasts both operands explicitly first: some tfjs gradients (Minimum, BatchMatMul) return a
 * wrongly shaped gradient for broadcast inputs, while broadcastTo's gradient sums correctly.
 */
function broadcastBoth(a: tf.Tensor, b: tf.Tensor, batchOnly = false): [tf.Tensor, tf.Tensor] {
  if (!batchOnly) {
    const shape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
    return [broadcastTo(a, shape), broadcastTo(b, shape)];
  }
  const batch = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return [broadcastTo(a, [...batch, ...a.shape.slice(-2)]), broadcastTo(b, [...batch, ...b.shape.slice(-2)])];
}

const binaryOp = (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): ReferenceOp => ({
  f: (xs) => f(...broadcastBoth(at(xs, 0), at(xs, 1))),
});
const axes = (a: OracleAttrs) => a.axis;
const pair = (v: number[] | undefined, fallback: number): [number, number] => [
  v?.[0] ?? fallback,
  v?.[1] ?? v?.[0] ?? fallback,
];

export const referenceOps: Readonly<Record<string, ReferenceOp>> = {
  add: binaryOp(tf.add),
  sub: binaryOp(tf.sub),
  mul: binaryOp(tf.mul),
  div: binaryOp(tf.div),
  pow: binaryOp(tf.pow),
  maximum: binaryOp(tf.maximum),
  minimum: binaryOp(tf.minimum),
  neg: unaryOp(tf.neg),
  exp: unaryOp(tf.exp),
  log: unaryOp(tf.log),
  sqrt: unaryOp(tf.sqrt),
  abs: unaryOp(tf.abs),
  tanh: unaryOp(tf.tanh),
  sigmoid: unaryOp(tf.sigmoid),
  relu: unaryOp(tf.relu),
  softplus: unaryOp(tf.softplus),
  logSigmoid: unaryOp(tf.logSigmoid),
  sin: unaryOp(tf.sin),
  cos: unaryOp(tf.cos),
  clip: { f: (xs, a) => tf.clipByValue(at(xs, 0), a.min ?? -Infinity, a.max ?? Infinity) },
  matmul: { f: (xs) => tf.matMul(...broadcastBoth(at(xs, 0), at(xs, 1), true)) },
  sum: { f: (xs, a) => tf.sum(at(xs, 0), axes(a), a.keepDims ?? false) },
  mean: { f: (xs, a) => tf.mean(at(xs, 0), axes(a), a.keepDims ?? false) },
  max: { f: (xs, a) => tf.max(at(xs, 0), axes(a), a.keepDims ?? false) },
  min: { f: (xs, a) => tf.min(at(xs, 0), axes(a), a.keepDims ?? false) },
  logsumexp: { f: (xs, a) => tf.logSumExp(at(xs, 0), axes(a) ?? -1, a.keepDims ?? false) },
  softmax: { f: (xs, a) => softmax(at(xs, 0), typeof a.axis === "number" ? a.axis : -1) },
  logSoftmax: { f: (xs, a) => logSoftmax(at(xs, 0), typeof a.axis === "number" ? a.axis : -1) },
  reshape: { f: (xs, a) => tf.reshape(at(xs, 0), a.shape ?? [-1]) },
  transpose: { f: (xs, a) => tf.transpose(at(xs, 0), a.perm) },
  slice: { f: (xs, a) => tf.slice(at(xs, 0), a.begin ?? [], a.size) },
  concat: { f: (xs, a) => tf.concat(xs, typeof a.axis === "number" ? a.axis : 0) },
  stack: { f: (xs, a) => tf.stack(xs, typeof a.axis === "number" ? a.axis : 0) },
  gather: {
    f: (xs, a) => tf.gather(at(xs, 0), tf.cast(at(xs, 1), "int32"), typeof a.axis === "number" ? a.axis : 0),
    constant: [1],
  },
  where: {
    f: (xs) => {
      const [c, x, y] = [at(xs, 0), at(xs, 1), at(xs, 2)];
      const shape = tf.broadcast_util.assertAndGetBroadcastShape(
        tf.broadcast_util.assertAndGetBroadcastShape(c.shape, x.shape),
        y.shape,
      );
      const cond = broadcastTo(tf.notEqual(c, 0), shape);
      return tf.where(cond, broadcastTo(x, shape), broadcastTo(y, shape));
    },
    constant: [0],
  },
  conv2d: {
    f: (xs, a) => conv2d(at(xs, 0), at(xs, 1), pair(a.stride, 1), pair(a.padding, 0)),
  },
  maxPool2d: {
    f: (xs, a) => {
      const size = pair(a.kernelSize, 2);
      return pool("max", at(xs, 0), size, pair(a.stride, size[0]), a.padding?.[0] ?? 0);
    },
  },
  avgPool2d: {
    f: (xs, a) => {
      const size = pair(a.kernelSize, 2);
      return pool("avg", at(xs, 0), size, pair(a.stride, size[0]), a.padding?.[0] ?? 0);
    },
  },
  /** x @ w + b with w of shape [in, out]. */
  linear: { f: (xs) => tf.add(tf.matMul(at(xs, 0), at(xs, 1)), at(xs, 2)) },
  mseLoss: { f: (xs) => tf.mean(tf.square(tf.sub(at(xs, 0), at(xs, 1)))) },
  crossEntropy: {
    f: (xs) => {
      const logits = at(xs, 0);
      const depth = logits.shape[1] ?? 0;
      const onehot = tf.oneHot(tf.cast(at(xs, 1), "int32"), depth);
      return tf.neg(tf.mean(tf.sum(tf.mul(logSoftmax(logits, 1), onehot), 1)));
    },
    constant: [1],
  },
  /** Logs clamped at −100, as nn.bce and PyTorch. */
  bce: {
    f: (xs) => {
      const p = at(xs, 0);
      const y = at(xs, 1);
      const logP = tf.maximum(tf.log(p), -100);
      const log1mP = tf.maximum(tf.log(tf.sub(1, p)), -100);
      return tf.neg(tf.mean(tf.add(tf.mul(y, logP), tf.mul(tf.sub(1, y), log1mP))));
    },
    constant: [1],
  },
  /** mean(softplus(z) − y·z). */
  bceWithLogits: {
    f: (xs) => tf.mean(tf.sub(tf.softplus(at(xs, 0)), tf.mul(at(xs, 0), at(xs, 1)))),
    constant: [1],
  },
  /** Layer norm over the last axis with gain and bias. */
  layerNorm: {
    f: (xs, a) => {
      const x = at(xs, 0);
      const axis = axisOf(-1, x.rank);
      const { mean, variance } = tf.moments(x, axis, true);
      const normed = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, a.eps ?? 1e-5)));
      return tf.add(tf.mul(normed, at(xs, 1)), at(xs, 2));
    },
  },
};

/**
 * The attributes each reference op reads (ops not listed take none), for the generated reference
 * in docs/scratch-api.md. Attribute meanings: axis (number or list, negative allowed), keepDims,
 * shape, perm, begin/size (as Tensor.slice), stride/padding/kernelSize ([h, w]; pooling padding is
 * one number in a list), eps, min/max (clip bounds).
 */
export const REFERENCE_ATTRS: Readonly<Record<string, readonly (keyof OracleAttrs)[]>> = {
  clip: ["min", "max"],
  sum: ["axis", "keepDims"],
  mean: ["axis", "keepDims"],
  max: ["axis", "keepDims"],
  min: ["axis", "keepDims"],
  logsumexp: ["axis", "keepDims"],
  softmax: ["axis"],
  logSoftmax: ["axis"],
  reshape: ["shape"],
  transpose: ["perm"],
  slice: ["begin", "size"],
  concat: ["axis"],
  stack: ["axis"],
  gather: ["axis"],
  conv2d: ["stride", "padding"],
  maxPool2d: ["kernelSize", "stride", "padding"],
  avgPool2d: ["kernelSize", "stride", "padding"],
  layerNorm: ["eps"],
};

/** One line per reference op: its name, attributes and the inputs it does not differentiate. */
export function referenceOpList(): { name: string; attrs: readonly string[]; constant: readonly number[] }[] {
  return Object.entries(referenceOps).map(([name, op]) => ({
    name,
    attrs: REFERENCE_ATTRS[name] ?? [],
    constant: op.constant ?? [],
  }));
}

let loadGradients: (() => void) | undefined;

/** Installs what registers tfjs's gradient functions; it runs once, before the first oracle call. */
export function useGradientLoader(load: () => void): void {
  loadGradients = load;
}

function ensureGradients(): void {
  const load = loadGradients;
  loadGradients = undefined;
  load?.();
}

function reference(op: string): ReferenceOp {
  const ref = Object.hasOwn(referenceOps, op) ? referenceOps[op] : undefined;
  if (ref === undefined) {
    throw new KernelArgumentError(`no reference op "${op}"; known: ${Object.keys(referenceOps).join(", ")}`);
  }
  return ref;
}

const ATTR_KEYS = new Set<keyof OracleAttrs>([
  "axis",
  "keepDims",
  "shape",
  "perm",
  "begin",
  "size",
  "stride",
  "padding",
  "kernelSize",
  "eps",
  "min",
  "max",
]);

/** Parses guest attributes, keeping only known keys with number/boolean/number-array values. */
export function parseAttrs(json: string): OracleAttrs {
  const raw: unknown = json === "" ? {} : JSON.parse(json);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new KernelArgumentError("oracle attributes must be an object");
  }
  const attrs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!ATTR_KEYS.has(key as keyof OracleAttrs))
      throw new KernelArgumentError(`unknown oracle attribute "${key}"`);
    const ok =
      typeof value === "number" ||
      typeof value === "boolean" ||
      (Array.isArray(value) && value.length <= 8 && value.every((v) => typeof v === "number"));
    if (!ok)
      throw new KernelArgumentError(`oracle attribute "${key}" must be a number, boolean or list of numbers`);
    attrs[key] = value;
  }
  return attrs as OracleAttrs;
}

/** Rejects attributes the op does not read (a typo would otherwise be silently ignored). */
function assertAttrs(op: string, attrs: OracleAttrs): void {
  const allowed = REFERENCE_ATTRS[op] ?? [];
  for (const key of Object.keys(attrs)) {
    if (!allowed.includes(key as keyof OracleAttrs)) {
      const takes = allowed.length === 0 ? "no attributes" : `only ${allowed.join(", ")}`;
      throw new KernelArgumentError(`reference op "${op}" takes ${takes}, got "${key}"`);
    }
  }
}

/** The reference output of `op`. */
export function oracleForward(op: string, inputs: tf.Tensor[], attrs: OracleAttrs): tf.Tensor {
  reference(op);
  assertAttrs(op, attrs);
  return tf.tidy(() => reference(op).f(inputs, attrs));
}

/**
 * Gradients of Σ(op(inputs) · dy) with respect to every input, by tfjs's autodiff. Constant
 * inputs (labels, indices) get a zero gradient.
 */
export function oracleGrads(op: string, inputs: tf.Tensor[], dy: tf.Tensor, attrs: OracleAttrs): tf.Tensor[] {
  const ref = reference(op);
  assertAttrs(op, attrs);
  ensureGradients();
  const constant = new Set(ref.constant ?? []);
  const free = inputs.map((_, i) => i).filter((i) => !constant.has(i));
  return tf.tidy(() => {
    const f = (...xs: tf.Tensor[]) => {
      const all = inputs.map((t, i) => {
        const j = free.indexOf(i);
        return j >= 0 ? (xs[j] ?? t) : t;
      });
      return tf.sum(tf.mul(ref.f(all, attrs), dy));
    };
    const grads = tf.grads(f)(free.map((i) => at(inputs, i)));
    return inputs.map((t, i) => {
      const j = free.indexOf(i);
      return j >= 0 ? (grads[j] ?? tf.zerosLike(t)) : tf.zerosLike(t);
    });
  });
}

export const oracleKernels = {
  oracleForward: kernel(["string", "tensors", "string"], (op, inputs, attrs) =>
    oracleForward(op, inputs, parseAttrs(attrs)),
  ),
  oracleGrads: kernel(["string", "tensors", "tensor", "string"], (op, inputs, dy, attrs) =>
    oracleGrads(op, inputs, dy, parseAttrs(attrs)),
  ),
};
