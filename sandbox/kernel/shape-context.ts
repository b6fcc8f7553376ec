/**
 * The shapes of a kernel call's tensor arguments, added to a failure message that names none, so
 * every error raised through `scratch` names the shapes involved (the guard messages already do;
 * a kernel's own refusals and backend failures often do not).
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { KernelArg } from "./types.js";

/** A message that already names a shape like [2,3] or [] is left as is. */
const NAMES_A_SHAPE = /\[\d*(?:, ?\d+)*\]/;
/** At most this many shapes are listed (a concat of a hundred tensors lists the first ones). */
const MAX_SHAPES = 6;

function isTensor(v: unknown): v is tf.Tensor {
  return typeof v === "object" && v !== null && !Array.isArray(v) && "shape" in v && "dtype" in v;
}

/** `message; called with shapes [2,2] and [3,1]`, or `message` when it names a shape or no tensor was passed. */
export function withShapes(message: string, args: readonly KernelArg[]): string {
  if (NAMES_A_SHAPE.test(message)) return message;
  const tensors = args.flatMap((a) => (isTensor(a) ? [a] : Array.isArray(a) ? a.filter(isTensor) : []));
  if (tensors.length === 0) return message;
  const shapes = tensors.slice(0, MAX_SHAPES).map((t) => `[${t.shape.join(",")}]`);
  if (tensors.length > MAX_SHAPES) shapes.push(`${tensors.length - MAX_SHAPES} more`);
  const list =
    shapes.length === 1
      ? `shape ${shapes[0]}`
      : `shapes ${shapes.slice(0, -1).join(", ")} and ${shapes.at(-1)}`;
  return `${message}; called with ${list}`;
}
