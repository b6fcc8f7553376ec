/**
 * Creation kernels: tensors from guest data, constants, ranges and seeded random tensors, plus
 * reading a tensor's values back into the guest.
 */
import * as tf from "@tensorflow/tfjs-core";
import { dtypeOf, kernel } from "./kernel.js";
import { KernelArgumentError } from "../../kernel/argument-error.js";

export const creationKernels = {
  /** tensor(values, shape, dtype): values is flat Float32 data. */
  tensor: kernel(["data", "ints", "string"], (values, shape, dtype) => {
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== values.length) {
      throw new KernelArgumentError(`${values.length} values do not fit shape [${shape.join(", ")}]`);
    }
    const t = tf.tensor(values, shape, "float32");
    if (dtypeOf(dtype) === "float32") return t;
    const cast = tf.cast(t, "int32");
    t.dispose();
    return cast;
  }),
  fill: kernel(["ints", "number", "string"], (shape, value, dtype) => tf.fill(shape, value, dtypeOf(dtype))),
  arange: kernel(["number", "number", "number"], (start, stop, step) => {
    if (step === 0) throw new KernelArgumentError("arange: step must not be 0");
    if ((stop - start) / step > 1e8) throw new KernelArgumentError("arange: too many elements");
    // NumPy's rule: a step pointing away from stop gives no values (tfjs flips its sign instead).
    if ((stop - start) / step <= 0) return tf.zeros([0]);
    return tf.range(start, stop, step, "float32");
  }),
  /** Standard normal values; the same seed gives the same tensor. */
  randn: kernel(["ints", "int"], (shape, seed) => tf.randomNormal(shape, 0, 1, "float32", seed)),
  /** Uniform values in [low, high). */
  rand: kernel(["ints", "number", "number", "int"], (shape, low, high, seed) =>
    tf.randomUniform(shape, low, high, "float32", seed),
  ),
  /** Uniform integers in [low, high), as float32 (usable directly as labels or indices). */
  randint: kernel(["ints", "int", "int", "int"], (shape, low, high, seed) =>
    tf.tidy(() => tf.cast(tf.floor(tf.randomUniform(shape, low, high, "float32", seed)), "float32")),
  ),
  clone: kernel(["tensor"], (x) => tf.clone(x)),
  cast: kernel(["tensor", "string"], (x, dtype) => tf.cast(x, dtypeOf(dtype))),
  /** One-hot rows for integer labels (float32 result). */
  oneHot: kernel(["tensor", "int"], (labels, depth) =>
    tf.tidy(() => tf.cast(tf.oneHot(tf.cast(labels, "int32"), depth), "float32")),
  ),
  /** The tfjs backend computing this run's tensors ("wasm", "webgl", "webgpu" or "cpu"). */
  backend: kernel([], () => tf.getBackend()),
  /** A tensor's values as flat Float32 data (int and bool tensors are converted). */
  read: kernel(["tensor"], (x) => {
    const values = x.dataSync();
    return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
  }),
};
