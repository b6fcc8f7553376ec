/**
 * The forward kernels the host records on its tape (sandbox/kernel/tape.ts), and how to walk back
 * through each: the backward kernel call the guest's jointGrad in guest/nn.js makes for the same
 * node, with the same arguments, so a walk on the host gives the same bits as the guest's.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { KernelArg, TapeRule } from "../../kernel/types.js";

/**
 * Where the gradients of [x, weight, bias] are in a result list [dx (if asked), dweight, dbias (if
 * asked)]; dweight is always computed, and freed when weight needs none.
 */
function layerGrads(needs: readonly boolean[]): (number | null)[] {
  const dx = needs[0] ? 0 : null;
  const dw = needs[0] ? 1 : 0;
  return [dx, needs[1] ? dw : null, needs[2] ? dw + 1 : null];
}

const at = (args: readonly KernelArg[], i: number): KernelArg => args[i];

export const tapeRules: Readonly<Record<string, TapeRule>> = {
  // linear(x, weight, bias) → y; linearBackward(x, weight, dy, needs dx, needs dbias)
  linear: {
    inputs: [0, 1, 2],
    backward: (args, _results, dy, needs) => ({
      op: "linearBackward",
      args: [at(args, 0), at(args, 1), dy, needs[0] === true, needs[2] === true],
      grads: layerGrads(needs),
    }),
  },
  // linearRelu(x, weight, bias) → [y, pre]; linearReluBackward(x, weight, pre, dy, needs dx, needs dbias)
  linearRelu: {
    inputs: [0, 1, 2],
    backward: (args, results, dy, needs) => ({
      op: "linearReluBackward",
      args: [at(args, 0), at(args, 1), results[1] as tf.Tensor, dy, needs[0] === true, needs[2] === true],
      grads: layerGrads(needs),
    }),
  },
  // crossEntropy(logits, labels) → [loss, log softmax]; crossEntropyBackward(log softmax, labels, dy)
  crossEntropy: {
    inputs: [0],
    backward: (args, results, dy) => ({
      op: "crossEntropyBackward",
      args: [results[1] as tf.Tensor, at(args, 1), dy],
      grads: [0],
    }),
  },
  // conv2dReluMaxPool(x, weight, bias, ...settings) → [y, x', pre', relu', pooled'];
  // conv2dReluMaxPoolBackward(x', weight, pre', relu', pooled', dy, ...settings, needs dx, needs dbias)
  conv2dReluMaxPool: {
    inputs: [0, 1, 2],
    backward: (args, results, dy, needs) => ({
      op: "conv2dReluMaxPoolBackward",
      args: [
        results[1] as tf.Tensor,
        at(args, 1),
        results[2] as tf.Tensor,
        results[3] as tf.Tensor,
        results[4] as tf.Tensor,
        dy,
        ...args.slice(3, 8),
        needs[0] === true,
        needs[2] === true,
      ],
      grads: layerGrads(needs),
    }),
  },
};
