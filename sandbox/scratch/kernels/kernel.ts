/**
 * A typed way to write a {@link Kernel}: the declared argument kinds fix the parameter types of
 * `run`, so a kernel body never casts its arguments by hand.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { KernelArgumentError } from "../../kernel/argument-error.js";
import type { ArgKind, Kernel, KernelArg, KernelResult } from "../../kernel/types.js";

/** The host value an {@link ArgKind} converts to. */
export type ArgValue<K extends ArgKind> = K extends "tensor"
  ? tf.Tensor
  : K extends "tensors"
    ? tf.Tensor[]
    : K extends "number" | "int"
      ? number
      : K extends "ints"
        ? number[]
        : K extends "data"
          ? Float32Array
          : K extends "bool"
            ? boolean
            : K extends "string"
              ? string
              : K extends "int?"
                ? number | undefined
                : K extends "ints?"
                  ? number[] | undefined
                  : never;

type ArgValues<A extends readonly ArgKind[]> = { -readonly [I in keyof A]: ArgValue<A[I]> };

/** Declares a kernel: `kernel(["tensor", "int"], (x, axis) => …)`. */
export function kernel<const A extends readonly ArgKind[]>(
  args: A,
  run: (...args: ArgValues<A>) => KernelResult,
): Kernel {
  return { args, run: run as unknown as (...args: KernelArg[]) => KernelResult };
}

/** Dtypes a guest may ask for by name. */
export type GuestDtype = "float32" | "int32";

export function dtypeOf(name: string): GuestDtype {
  if (name === "float32" || name === "int32") return name;
  throw new KernelArgumentError(`unknown dtype "${name}": use "float32" or "int32"`);
}

/** Normalises a possibly negative axis against a rank, with a readable error. */
export function axisOf(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new KernelArgumentError(`axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return a;
}
