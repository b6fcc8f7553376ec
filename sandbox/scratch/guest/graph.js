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
  /** @type {[N, boolean][]} */
  const stack = [[root, false]];
  while (stack.length > 0) {
    const [node, inputsDone] = /** @type {[N, boolean]} */ (stack.pop());
    if (inputsDone) {
      order.push(node);
      continue;
    }
    if (seen.has(node)) continue;
    seen.add(node);
    stack.push([node, true]);
    for (const input of node._inputs ?? [])
      if (!seen.has(input)) stack.push([/** @type {N} */ (input), false]);
  }
  return order;
}
