// @ts-check
/**
 * Finding where a NaN or an Infinity came from. When backward() starts from a loss that is not
 * finite, the recorded graph is still there: it is replayed in the order it was computed and the
 * first op whose output holds a non-finite value while its inputs were all finite is the culprit.
 * The explanation is printed once as a warning and repeated when a metric turns non-finite.
 *
 * Internal to `scratch`.
 */
import { topologicalOrder } from "scratch/graph";

/**
 * @typedef {{ _inputs: Node[] | null, _op?: string, shape: readonly number[], data(): Float32Array }} Node
 */

/** What usually makes each op produce a NaN or an Infinity from finite inputs. */
const CAUSES = {
  log: "a log of 0 or of a negative number",
  div: "a division by zero",
  sqrt: "a square root of a negative number",
  pow: "a negative number to a fractional power, or 0 to a negative one",
  exp: "exp of a large number (above about 88 it overflows float32)",
  mul: "∞ · 0",
  sub: "∞ − ∞",
  add: "∞ + (−∞)",
  linear: "an overflow in x @ W + b (inputs or weights too large? a learning rate too high?)",
  linearRelu: "an overflow in x @ W + b (inputs or weights too large? a learning rate too high?)",
  conv2dReluMaxPool:
    "an overflow in conv2d(x, W) + b (inputs or weights too large? a learning rate too high?)",
  crossEntropy: "logits of ±Infinity or NaN",
};

/** The explanation of the run's first non-finite loss, if any. */
let lastReport = null;

/**
 * Whether every value of `t` is finite (a tensor already freed counts as finite: nothing to blame).
 * @param {Node} t
 */
function finite(t) {
  try {
    return t.data().every(Number.isFinite);
  } catch {
    return true;
  }
}

/**
 * The first op, in the order the graph was computed, whose output is non-finite although its
 * inputs are finite; null when the graph is gone or every leaf was already non-finite.
 * @param {Node} root
 * @returns {string | null}
 */
export function firstNonFinite(root) {
  const order = topologicalOrder(root);
  const ok = new Map();
  for (const node of order) {
    const isFinite = finite(node);
    ok.set(node, isFinite);
    const inputs = node._inputs ?? [];
    if (!isFinite && inputs.length > 0 && inputs.every((i) => ok.get(i) === true)) {
      const op = node._op ?? "an op";
      const cause = /** @type {Record<string, string>} */ (CAUSES)[op];
      const shapes = inputs.map((i) => `[${i.shape}]`).join(" and ");
      return `the first non-finite value came from ${op} (inputs ${shapes}, all finite)${cause ? `: ${cause}?` : ""}`;
    }
    if (!isFinite && inputs.length === 0) {
      return `a tensor of shape [${node.shape}] the loss depends on already holds NaN or ±Infinity (an earlier update diverged? try a smaller learning rate)`;
    }
  }
  return null;
}

/**
 * Called by backward() with its one-element root: warns once, naming the culprit op, when the
 * root is not finite.
 * @param {Node} root
 */
export function checkRoot(root) {
  if (lastReport !== null || finite(root)) return;
  lastReport = `the loss is ${root.data()[0]}: ${firstNonFinite(root) ?? "its graph holds no finite step to blame"}`;
  console.warn(`warning: backward() from a non-finite loss; ${lastReport}`);
}

/** The explanation found by the last `checkRoot`, or null. */
export function nonFiniteReport() {
  return lastReport;
}
