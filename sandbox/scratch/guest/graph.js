// @ts-check
/**
 * The recorded graph as a list: every tensor a result was computed from, in the order it was
 * computed. Autograd walks it backwards; the NaN finder walks it forwards.
 *
 * Internal to `scratch`.
 */

/** @typedef {{ _inputs: Node[] | null }} Node */

/**
 * Tensors reachable from `root`, each after all the tensors it was computed from.
 * @template {Node} N
 * @param {N} root
 * @returns {N[]}
 */
export function topologicalOrder(root) {
  /** @type {N[]} */
  const order = [];
  const seen = new Set();
  // An explicit stack instead of recursion: an RNN unrolled over a long text makes deep graphs.
  // Two parallel stacks (the node, and whether its inputs are done) rather than a pair per entry.
  /** @type {N[]} */
  const nodes = [root];
  /** @type {boolean[]} */
  const inputsDone = [false];
  while (nodes.length > 0) {
    const node = /** @type {N} */ (nodes.pop());
    if (inputsDone.pop()) {
      order.push(node);
      continue;
    }
    if (seen.has(node)) continue;
    seen.add(node);
    nodes.push(node);
    inputsDone.push(true);
    const inputs = node._inputs;
    if (inputs === null || inputs === undefined) continue;
    for (let i = 0; i < inputs.length; i++) {
      const input = /** @type {N} */ (inputs[i]);
      if (!seen.has(input)) {
        nodes.push(input);
        inputsDone.push(false);
      }
    }
  }
  return order;
}

/**
 * Forgets how `node` was computed, once a backward walk went through it (as PyTorch frees the
 * graph): it then takes a gradient like a leaf, and backward() from it says why it cannot run.
 */
export function freeGraph(node) {
  node._inputs = null;
  node._localGrads = null;
  node._jointGrad = null;
  node._graphFreed = true;
}
