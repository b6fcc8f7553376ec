// @ts-check
/**
 * The backward walk on the host. The host records every call of the library's fused forward
 * kernels (linear, linearRelu, crossEntropy, conv2dReluMaxPool: sandbox/scratch/kernels/tape.ts);
 * when every node of a walk is such an op, autograd hands the whole walk to the host in one call
 * instead of one bridge crossing per kernel, gradient and free.
 *
 * Internal to `scratch`.
 */
import { host } from "scratch/_host";
import { freeGraph } from "scratch/graph";
import { Tensor } from "scratch/tensor";

/** The _localGrads of a node recorded by a library fused op (autograd's recordFused). */
export const FUSED = Object.freeze([]);

const stringify = JSON.stringify;

/**
 * Hands the walk to the host in one call when every node on it is a library fused op
 * (recordFused): the host runs the same backward kernels in the same order (so the same bits) and
 * returns the leaves' gradients, which are added into `.grad` as autograd's own walk would. False (and
 * nothing done) when a node is anything else, a tensor on the path was freed, or the host did not
 * record a node as the graph says.
 */
export function walkOnHost(root, order) {
  if (host.backward === undefined) return false;
  const nodes = [];
  const leaves = [];
  const leafTensors = [];
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    if (node.isDisposed) return false;
    const localGrads = node._localGrads;
    if (localGrads === null) {
      if (node.tracksGrad) {
        leaves.push(node.handle);
        leafTensors.push(node);
      }
      continue;
    }
    if (localGrads !== FUSED) return false;
    const inputs = node._inputs;
    nodes.push(node.handle, inputs.length);
    for (let j = 0; j < inputs.length; j++) {
      if (inputs[j].isDisposed) return false;
      nodes.push(inputs[j].handle);
    }
  }
  const grads = host.backward(root.handle, stringify(nodes), stringify(leaves));
  if (grads === null) return false;
  for (let i = 0; i < leafTensors.length; i++) {
    const leaf = leafTensors[i];
    if (grads[i] !== 0) leaf._addGrad(new Tensor(grads[i], { shape: leaf.shape }));
  }
  for (let i = 0; i < order.length; i++) if (order[i]._localGrads !== null) freeGraph(order[i]);
  return true;
}
