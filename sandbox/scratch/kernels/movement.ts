/**
 * Movement kernels: they rearrange or select elements without arithmetic (reshape, transpose,
 * slice, pad, concat/split, stack, gather and its scatter-add backward, broadcast, tile).
 */
import * as tf from "@tensorflow/tfjs-core";
import { axisOf, kernel } from "./kernel.js";
import { KernelArgumentError } from "../../kernel/argument-error.js";

/**
 * tf.broadcastTo, also right for an empty target: tfjs returns its input unchanged when the
 * target has a size-0 dimension (a scalar "broadcast" to [0] kept its one value).
 */
export function broadcastTo(x: tf.Tensor, shape: number[]): tf.Tensor {
  const full = tf.broadcast_util.assertAndGetBroadcastShape(x.shape, shape);
  if (full.length !== shape.length || full.some((d, i) => d !== shape[i])) {
    throw new KernelArgumentError(`broadcastTo: shape [${x.shape}] cannot be broadcast to [${shape}]`);
  }
  return shape.includes(0) ? tf.zeros(shape, x.dtype) : tf.broadcastTo(x, shape);
}

/**
 * Scatter-adds rows of `dy` back into a tensor of `shape` along `axis`: the gradient of
 * `gather(x, indices, axis)`. Repeated indices accumulate (an embedding row used twice).
 */
export function gatherBackward(
  dy: tf.Tensor,
  indices: tf.Tensor,
  shape: readonly number[],
  axis: number,
): tf.Tensor {
  return tf.tidy(() => {
    const a = axisOf(axis, shape.length);
    const idx = tf.reshape(tf.cast(indices, "int32"), [-1, 1]);
    // Move the gathered axis to the front so scatterND adds whole slices.
    const perm = [a, ...shape.map((_, i) => i).filter((i) => i !== a)];
    const dyFront = tf.reshape(tf.transpose(dy, dyPerm(dy.rank, a, indices.rank)), [
      idx.shape[0] ?? 0,
      ...perm.slice(1).map((i) => shape[i] ?? 0),
    ]);
    const frontShape = perm.map((i) => shape[i] ?? 0);
    const summed = tf.scatterND(idx, dyFront, frontShape);
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return tf.transpose(summed, inverse);
  });
}

/** Permutation moving the `indexRank` gathered axes of dy (starting at `axis`) to the front. */
function dyPerm(rank: number, axis: number, indexRank: number): number[] {
  const gathered = Array.from({ length: indexRank }, (_, i) => axis + i);
  const rest = Array.from({ length: rank }, (_, i) => i).filter((i) => !gathered.includes(i));
  return [...gathered, ...rest];
}

export const movementKernels = {
  reshape: kernel(["tensor", "ints"], (x, shape) => tf.reshape(x, shape)),
  /** Permutes axes; without a permutation the axes are reversed. */
  transpose: kernel(["tensor", "ints?"], (x, perm) => tf.transpose(x, perm)),
  /** slice(x, begin, size): size −1 takes the rest of an axis. */
  slice: kernel(["tensor", "ints", "ints"], (x, begin, size) => tf.slice(x, begin, size)),
  /** pad(x, [before0, after0, before1, after1, …], value). */
  pad: kernel(["tensor", "ints", "number"], (x, flat, value) => {
    if (flat.length !== 2 * x.rank) {
      throw new KernelArgumentError(`pad needs ${2 * x.rank} amounts for a tensor of rank ${x.rank}`);
    }
    const pairs = x.shape.map((_, i) => [flat[2 * i] ?? 0, flat[2 * i + 1] ?? 0] as [number, number]);
    return tf.pad(x, pairs, value);
  }),
  concat: kernel(["tensors", "int"], (xs, axis) => {
    const first = xs[0];
    if (first === undefined) throw new KernelArgumentError("concat needs at least one tensor");
    return tf.concat(xs, axisOf(axis, first.rank));
  }),
  /** split(x, sizes, axis): the inverse of concat. */
  split: kernel(["tensor", "ints", "int"], (x, sizes, axis) => tf.split(x, sizes, axisOf(axis, x.rank))),
  stack: kernel(["tensors", "int"], (xs, axis) => {
    const first = xs[0];
    if (first === undefined) throw new KernelArgumentError("stack needs at least one tensor");
    return tf.stack(xs, axisOf(axis, first.rank + 1));
  }),
  unstack: kernel(["tensor", "int"], (x, axis) => tf.unstack(x, axisOf(axis, x.rank))),
  /** gather(x, indices, axis): picks slices of x along axis; indices may be float. */
  gather: kernel(["tensor", "tensor", "int"], (x, indices, axis) =>
    tf.tidy(() => tf.gather(x, tf.cast(indices, "int32"), axisOf(axis, x.rank))),
  ),
  gatherBackward: kernel(["tensor", "tensor", "ints", "int"], (dy, indices, shape, axis) =>
    gatherBackward(dy, indices, shape, axis),
  ),
  broadcastTo: kernel(["tensor", "ints"], (x, shape) => broadcastTo(x, shape)),
  tile: kernel(["tensor", "ints"], (x, reps) => tf.tile(x, reps)),
};
