/**
 * Reduction kernels. Axes may be negative; an absent axis list reduces everything. `sumTo` is
 * the reduction autograd needs to undo broadcasting.
 */
import * as tf from "@tensorflow/tfjs-core";
import { axisOf, kernel } from "./kernel.js";
import { KernelArgumentError } from "../../kernel/argument-error.js";

const reduction = (f: (x: tf.Tensor, axes: number[] | undefined, keepDims: boolean) => tf.Tensor) =>
  kernel(["tensor", "ints?", "bool"], (x, axes, keepDims) =>
    f(
      x,
      axes?.map((a) => axisOf(a, x.rank)),
      keepDims,
    ),
  );

/**
 * Sums `x` down to `shape`, the shape it was broadcast from: leading axes are summed away and
 * axes where `shape` has size 1 are summed with keepDims.
 */
export function sumTo(x: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const lead = x.rank - shape.length;
  if (lead > 0 && shape.every((d, i) => d === x.shape[lead + i])) {
    // Only leading axes are summed: tf.sum without keepDims already has the target shape (keepDims
    // changes the result's shape, never its values), so no reshape is needed.
    return tf.sum(
      x,
      Array.from({ length: lead }, (_, i) => i),
      false,
    );
  }
  return tf.tidy(() => {
    if (lead < 0) throw new KernelArgumentError(`cannot sum shape [${x.shape}] to [${shape}]`);
    const axes: number[] = [];
    for (let i = 0; i < x.rank; i++) {
      if (i < lead || (shape[i - lead] === 1 && x.shape[i] !== 1)) axes.push(i);
    }
    const summed = axes.length > 0 ? tf.sum(x, axes, true) : x;
    return tf.reshape(summed, [...shape]);
  });
}

export const reduceKernels = {
  sum: reduction((x, axes, keepDims) => tf.sum(x, axes, keepDims)),
  mean: reduction((x, axes, keepDims) => tf.mean(x, axes, keepDims)),
  max: reduction((x, axes, keepDims) => tf.max(x, axes, keepDims)),
  min: reduction((x, axes, keepDims) => tf.min(x, axes, keepDims)),
  /** log Σ exp(x) over axes, shifted by the maximum so it never overflows. */
  logSumExp: reduction((x, axes, keepDims) => tf.logSumExp(x, axes, keepDims)),
  argmax: kernel(["tensor", "int"], (x, axis) => tf.argMax(x, axisOf(axis, x.rank))),
  argmin: kernel(["tensor", "int"], (x, axis) => tf.argMin(x, axisOf(axis, x.rank))),
  sumTo: kernel(["tensor", "ints"], (x, shape) => sumTo(x, shape)),
  /**
   * Gradient of max/min over `axes`: dy flows to the elements equal to the extreme value y
   * (y and dy kept with keepDims); ties share it equally, as in PyTorch's amax.
   */
  extremeBackward: kernel(["tensor", "tensor", "tensor", "ints?"], (x, y, dy, axes) =>
    tf.tidy(() => {
      const mask = tf.cast(tf.equal(x, y), "float32");
      const count = tf.sum(
        mask,
        axes?.map((a) => axisOf(a, x.rank)),
        true,
      );
      return tf.div(tf.mul(mask, dy), count);
    }),
  ),
};
