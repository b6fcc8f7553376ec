/**
 * Elementwise kernels: binary ops broadcast like NumPy; comparisons return float 0/1 masks so a
 * learner can write `pred.eq(y).mean()`. The `…Backward` kernels fuse a local gradient that would
 * otherwise take several bridged calls.
 */
import * as tf from "@tensorflow/tfjs-core";
import { kernel } from "./kernel.js";
import { broadcastTo } from "./movement.js";

const binary = (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
  kernel(["tensor", "tensor"], (a, b) => f(a, b));
/** The same op with a number as second operand: one bridged call instead of three. */
const withNumber = (f: (a: tf.Tensor, b: tf.Tensor | number) => tf.Tensor) =>
  kernel(["tensor", "number"], (a, b) => f(a, b));
const unary = (f: (x: tf.Tensor) => tf.Tensor) => kernel(["tensor"], (x) => f(x));
const compare = (f: (a: tf.Tensor, b: tf.Tensor | number) => tf.Tensor) =>
  binary((a, b) => tf.tidy(() => tf.cast(f(a, b), "float32")));
const compareNumber = (f: (a: tf.Tensor, b: tf.Tensor | number) => tf.Tensor) =>
  withNumber((a, b) => tf.tidy(() => tf.cast(f(a, b), "float32")));

export const elementwiseKernels = {
  add: binary(tf.add),
  sub: binary(tf.sub),
  mul: binary(tf.mul),
  div: binary(tf.div),
  pow: binary(tf.pow),
  maximum: binary(tf.maximum),
  minimum: binary(tf.minimum),
  addNumber: withNumber(tf.add),
  subNumber: withNumber(tf.sub),
  mulNumber: withNumber(tf.mul),
  divNumber: withNumber(tf.div),
  powNumber: withNumber(tf.pow),
  maximumNumber: withNumber(tf.maximum),
  minimumNumber: withNumber(tf.minimum),
  neg: unary(tf.neg),
  exp: unary(tf.exp),
  log: unary(tf.log),
  sqrt: unary(tf.sqrt),
  abs: unary(tf.abs),
  sign: unary(tf.sign),
  tanh: unary(tf.tanh),
  sigmoid: unary(tf.sigmoid),
  relu: unary(tf.relu),
  /** softplus(x) = log(1 + eˣ) = max(x, 0) + log(1 + e^−|x|): never overflows. */
  softplus: unary((x) => tf.tidy(() => tf.add(tf.relu(x), tf.log1p(tf.exp(tf.neg(tf.abs(x))))))),
  /** log σ(x) = −softplus(−x) = min(x, 0) − log(1 + e^−|x|). */
  logSigmoid: unary((x) => tf.tidy(() => tf.sub(tf.minimum(x, 0), tf.log1p(tf.exp(tf.neg(tf.abs(x))))))),
  sin: unary(tf.sin),
  cos: unary(tf.cos),
  floor: unary(tf.floor),
  round: unary(tf.round),
  clip: kernel(["tensor", "number", "number"], (x, low, high) => tf.clipByValue(x, low, high)),
  eq: compare(tf.equal),
  ne: compare(tf.notEqual),
  lt: compare(tf.less),
  le: compare(tf.lessEqual),
  gt: compare(tf.greater),
  ge: compare(tf.greaterEqual),
  eqNumber: compareNumber(tf.equal),
  neNumber: compareNumber(tf.notEqual),
  ltNumber: compareNumber(tf.less),
  leNumber: compareNumber(tf.lessEqual),
  gtNumber: compareNumber(tf.greater),
  geNumber: compareNumber(tf.greaterEqual),
  /** where(cond, a, b): a where cond is non-zero, else b (all three broadcast). */
  where: kernel(["tensor", "tensor", "tensor"], (cond, a, b) =>
    tf.tidy(() => {
      const { assertAndGetBroadcastShape } = tf.broadcast_util;
      const shape = assertAndGetBroadcastShape(assertAndGetBroadcastShape(cond.shape, a.shape), b.shape);
      return tf.where(broadcastTo(tf.notEqual(cond, 0), shape), broadcastTo(a, shape), broadcastTo(b, shape));
    }),
  ),
  /** dy where x > 0, else 0. */
  reluBackward: kernel(["tensor", "tensor"], (x, dy) => tf.tidy(() => tf.mul(dy, tf.step(x, 0)))),
  /** dy · y · (1 − y), given y = sigmoid(x). */
  sigmoidBackward: kernel(["tensor", "tensor"], (y, dy) =>
    tf.tidy(() => tf.mul(dy, tf.mul(y, tf.sub(1, y)))),
  ),
  /** dy · (1 − y²), given y = tanh(x). */
  tanhBackward: kernel(["tensor", "tensor"], (y, dy) => tf.tidy(() => tf.mul(dy, tf.sub(1, tf.square(y))))),
};
