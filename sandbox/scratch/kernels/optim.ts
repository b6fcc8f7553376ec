/**
 * Optimiser kernels: one Adam update of one parameter as a single host call. The same update is
 * written out op by op in guest/optim.js (Adam.update), which `{ fused: false }` runs instead;
 * a test checks both give the same parameters.
 */
import * as tf from "@tensorflow/tfjs-core";
import { kernel } from "./kernel.js";
import { KernelArgumentError } from "../../kernel/argument-error.js";

export const optimKernels = {
  /**
   * adamStep(p, g, m, v, lr, beta1, beta2, eps, t, weightDecay) → [p', m', v']:
   * m' = β1·m + (1−β1)·g;  v' = β2·v + (1−β2)·g²;  p' = p − lr·√(1−β2ᵗ)/(1−β1ᵗ) · m'/(√v' + ε).
   */
  adamStep: kernel(
    ["tensor", "tensor", "tensor", "tensor", "number", "number", "number", "number", "int", "number"],
    (p, grad, m, v, lr, b1, b2, eps, t, weightDecay) =>
      tf.tidy(() => {
        if (t < 1) throw new KernelArgumentError("adamStep: t counts steps from 1");
        const g = weightDecay > 0 ? tf.add(grad, tf.mul(p, weightDecay)) : grad;
        const m2 = tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1));
        const v2 = tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2));
        const stepSize = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
        const p2 = tf.sub(p, tf.mul(tf.div(m2, tf.add(tf.sqrt(v2), eps)), stepSize));
        return [p2, m2, v2];
      }),
  ),
};
