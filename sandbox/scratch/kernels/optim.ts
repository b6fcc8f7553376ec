/**
 * Optimiser kernels: one Adam update of one parameter (adamStep), or of every parameter of a
 * model (adamSteps), as a single host call; SGD likewise (sgdSteps). The same updates are written
 * out op by op in guest/optim.js (Adam.update, SGD.update), which `{ fused: false }` runs
 * instead; a test checks both give the same parameters. On wasm and cpu the elementwise updates
 * run as float32 host loops ({@link hostElementwise}), the same bits as the tfjs ops
 * (test/host-kernels.test.ts).
 */
import * as tf from "@tensorflow/tfjs-core";
import { kernel } from "./kernel.js";
import { KernelArgumentError } from "../../kernel/argument-error.js";

/**
 * Whether elementwise float32 arithmetic can run as host loops here: the wasm and cpu backends
 * compute each element of add, sub, mul, div, square and sqrt as one IEEE float32 operation (no
 * fused multiply-add, no flushing of subnormals), which a double operation rounded by Math.fround
 * reproduces exactly (a double holds the float32 operands' exact sum, difference and product, and
 * its correctly rounded quotient and square root round to the float32 ones). GPU backends keep the
 * tfjs ops.
 */
export function hostElementwise(...tensors: tf.Tensor[]): boolean {
  const backend = tf.getBackend();
  return (backend === "wasm" || backend === "cpu") && tensors.every((t) => t.dtype === "float32");
}

const f = Math.fround;

/** Float32 values of one shape as tensors, none left behind if an upload fails. */
function uploaded(values: Float32Array[], shape: number[]): tf.Tensor[] {
  const out: tf.Tensor[] = [];
  try {
    for (const v of values) out.push(tf.tensor(v, shape, "float32"));
  } catch (error) {
    tf.dispose(out);
    throw error;
  }
  return out;
}

/**
 * {@link adam} as host loops over the values: every element goes through the float32 operations
 * of the tfjs ops in the same order (each number operand first rounded to float32, as tfjs makes
 * it a float32 scalar tensor).
 */
function adamOnHost(
  p: tf.Tensor,
  grad: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  [lr, b1, b2, eps, t, weightDecay]: readonly number[],
): tf.Tensor[] {
  const [beta1, beta2, step, decay] = [b1 as number, b2 as number, t as number, weightDecay as number];
  const stepSize = f(((lr as number) * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step));
  const [fb1, fc1, fb2, fc2, feps, fdecay] = [
    f(beta1),
    f(1 - beta1),
    f(beta2),
    f(1 - beta2),
    f(eps as number),
    f(decay),
  ];
  const pv = p.dataSync() as Float32Array;
  const gv = grad.dataSync() as Float32Array;
  const mv = m.dataSync() as Float32Array;
  const vv = v.dataSync() as Float32Array;
  const n = pv.length;
  const p2 = new Float32Array(n);
  const m2 = new Float32Array(n);
  const v2 = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const pi = pv[i] as number;
    const g = decay > 0 ? f((gv[i] as number) + f(pi * fdecay)) : (gv[i] as number);
    const mi = f(f((mv[i] as number) * fb1) + f(g * fc1));
    const vi = f(f((vv[i] as number) * fb2) + f(f(g * g) * fc2));
    m2[i] = mi;
    v2[i] = vi;
    p2[i] = f(pi - f(f(mi / f(f(Math.sqrt(vi)) + feps)) * stepSize));
  }
  return uploaded([p2, m2, v2], p.shape);
}

/** The Adam update of one parameter: [p', m', v']. */
function adam(
  p: tf.Tensor,
  grad: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  hyper: readonly number[],
): tf.Tensor[] {
  const [lr, b1, b2, eps, t, weightDecay] = hyper;
  if ((t as number) < 1) throw new KernelArgumentError("adamStep: t counts steps from 1");
  if (hostElementwise(p, grad, m, v)) return adamOnHost(p, grad, m, v, hyper);
  return tf.tidy(() => {
    const [beta1, beta2, step] = [b1 as number, b2 as number, t as number];
    const g = (weightDecay as number) > 0 ? tf.add(grad, tf.mul(p, weightDecay as number)) : grad;
    const m2 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
    const v2 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
    const stepSize = ((lr as number) * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
    const p2 = tf.sub(p, tf.mul(tf.div(m2, tf.add(tf.sqrt(v2), eps as number)), stepSize));
    return [p2, m2, v2];
  });
}

/** {@link sgd} as host loops over the values, in the float32 operations of its tfjs ops. */
function sgdOnHost(
  p: tf.Tensor,
  grad: tf.Tensor,
  buffer: tf.Tensor | undefined,
  lr: number,
  momentum: number,
  weightDecay: number,
): tf.Tensor[] {
  const [flr, fmomentum, fdecay] = [f(lr), f(momentum), f(weightDecay)];
  const pv = p.dataSync() as Float32Array;
  const gv = grad.dataSync() as Float32Array;
  const bv = buffer === undefined ? undefined : (buffer.dataSync() as Float32Array);
  const n = pv.length;
  const p2 = new Float32Array(n);
  // Momentum exactly when the tfjs path below uses it (`momentum <= 0` false, NaN included).
  const b2 = momentum <= 0 ? undefined : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const pi = pv[i] as number;
    let g = weightDecay > 0 ? f((gv[i] as number) + f(pi * fdecay)) : (gv[i] as number);
    if (b2 !== undefined) {
      // The first step's buffer is a copy of g; later ones momentum·b + g.
      g = bv === undefined ? g : f(f((bv[i] as number) * fmomentum) + g);
      b2[i] = g;
    }
    p2[i] = f(pi - f(g * flr));
  }
  return uploaded(b2 === undefined ? [p2] : [p2, b2], p.shape);
}

/** The SGD update of one parameter: [p'] or, with momentum, [p', b'] (b' = momentum·b + g). */
function sgd(
  p: tf.Tensor,
  grad: tf.Tensor,
  buffer: tf.Tensor | undefined,
  lr: number,
  momentum: number,
  weightDecay: number,
): tf.Tensor[] {
  const tensors = buffer === undefined ? [p, grad] : [p, grad, buffer];
  if (hostElementwise(...tensors)) return sgdOnHost(p, grad, buffer, lr, momentum, weightDecay);
  return tf.tidy(() => {
    const g = weightDecay > 0 ? tf.add(grad, tf.mul(p, weightDecay)) : grad;
    if (momentum <= 0) return [tf.sub(p, tf.mul(g, lr))];
    const b = buffer === undefined ? tf.clone(g) : tf.add(tf.mul(buffer, momentum), g);
    return [tf.sub(p, tf.mul(b, lr)), b];
  });
}

/** Splits a flat list into groups of `size` tensors of one shape each. */
function groups(list: tf.Tensor[], size: number, what: string): tf.Tensor[][] {
  if (list.length === 0 || list.length % size !== 0) {
    throw new KernelArgumentError(`${what}: expected groups of ${size} tensors, got ${list.length}`);
  }
  const out: tf.Tensor[][] = [];
  for (let i = 0; i < list.length; i += size) {
    const group = list.slice(i, i + size);
    const shape = (group[0] as tf.Tensor).shape;
    if (group.some((t) => !tf.util.arraysEqual(t.shape, shape))) {
      throw new KernelArgumentError(
        `${what}: the tensors of parameter ${i / size + 1} differ in shape (${group.map((t) => `[${t.shape}]`).join(", ")})`,
      );
    }
    out.push(group);
  }
  return out;
}

/** Runs `update` on every group, disposing what was made so far if one fails. */
function each(list: tf.Tensor[][], update: (group: tf.Tensor[]) => tf.Tensor[]): tf.Tensor[] {
  const out: tf.Tensor[] = [];
  try {
    for (const group of list) out.push(...update(group));
  } catch (error) {
    tf.dispose(out);
    throw error;
  }
  return out;
}

export const optimKernels = {
  /**
   * adamStep(p, g, m, v, lr, beta1, beta2, eps, t, weightDecay) → [p', m', v']:
   * m' = β1·m + (1−β1)·g;  v' = β2·v + (1−β2)·g²;  p' = p − lr·√(1−β2ᵗ)/(1−β1ᵗ) · m'/(√v' + ε).
   */
  adamStep: kernel(
    ["tensor", "tensor", "tensor", "tensor", "number", "number", "number", "number", "int", "number"],
    (p, grad, m, v, lr, b1, b2, eps, t, weightDecay) =>
      adam(p, grad, m, v, [lr, b1, b2, eps, t, weightDecay]),
  ),
  /**
   * adamSteps([p₁, g₁, m₁, v₁, p₂, g₂, m₂, v₂, …], lr, beta1, beta2, eps, t, weightDecay) →
   * [p₁', m₁', v₁', p₂', m₂', v₂', …]: adamStep on every parameter in one call.
   */
  adamSteps: kernel(
    ["tensors", "number", "number", "number", "number", "int", "number"],
    (list, lr, b1, b2, eps, t, weightDecay) => {
      if (t < 1) throw new KernelArgumentError("adamSteps: t counts steps from 1");
      return each(groups(list, 4, "adamSteps"), ([p, g, m, v]) =>
        adam(p as tf.Tensor, g as tf.Tensor, m as tf.Tensor, v as tf.Tensor, [
          lr,
          b1,
          b2,
          eps,
          t,
          weightDecay,
        ]),
      );
    },
  ),
  /**
   * sgdSteps(list, lr, momentum, weightDecay, first): one SGD step of every parameter, with
   * g = gradient + weightDecay·p. Without momentum, list = [p₁, g₁, p₂, g₂, …] → [p₁', p₂', …],
   * p' = p − lr·g. With momentum, list = [p₁, g₁, b₁, …] → [p₁', b₁', …], b' = momentum·b + g,
   * p' = p − lr·b'; on the `first` step there are no buffers yet (list = [p₁, g₁, …]) and b' = g.
   */
  sgdSteps: kernel(
    ["tensors", "number", "number", "number", "bool"],
    (list, lr, momentum, weightDecay, first) => {
      const size = momentum > 0 && !first ? 3 : 2;
      return each(groups(list, size, "sgdSteps"), ([p, g, b]) =>
        sgd(p as tf.Tensor, g as tf.Tensor, b, lr, momentum, weightDecay),
      );
    },
  ),
};
