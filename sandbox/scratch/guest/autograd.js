/**
 * Reverse-mode automatic differentiation, micrograd-style but tensor-valued.
 *
 * Every op in `scratch/tensor` computes its output with one host kernel and then calls
 * `record(out, inputs, localGrads)`: if any input needs a gradient, `out` remembers its inputs and,
 * for each input, a function turning the gradient of `out` into the gradient of that input.
 * `backward()` sorts the graph topologically and walks it in reverse, applying those functions
 * (the chain rule) and summing the contributions that reach each tensor.
 */
import { host } from "scratch/_host";
import { tidy } from "scratch/memory";
import { checkRoot } from "scratch/nonfinite";

let gradEnabled = true;

/** Whether ops currently record the graph (false inside `noGrad`). */
export function isGradEnabled() {
  return gradEnabled;
}

/**
 * Runs `fn` without recording the graph and returns its result — for updates and evaluation.
 * @example noGrad(() => w.sub(w.grad.mul(lr)))
 */
export function noGrad(fn) {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** @internal Throws the task's explanation when a run withholds autograd from attendee code. */
export function assertAutogradAllowed(what) {
  if (!host.allows("scratch/autograd")) {
    throw new Error(`${what}: autograd is not available in this task: compute the gradients yourself`);
  }
}

/**
 * Remembers how `out` was computed. `localGrads[i](g)` returns the gradient of input i given
 * the gradient g of `out`; it is only called for inputs that need one.
 */
export function record(out, inputs, localGrads) {
  if (gradEnabled && inputs.some((t) => t.tracksGrad)) {
    out.tracksGrad = true;
    out._computed = true;
    out._inputs = inputs;
    out._localGrads = localGrads;
  }
  return out;
}

/** Tensors reachable from `root`, each after all the tensors it was computed from. */
function topologicalOrder(root) {
  const order = [];
  const seen = new Set();
  // An explicit stack instead of recursion: an RNN unrolled over a long text makes deep graphs.
  const stack = [[root, false]];
  while (stack.length > 0) {
    const [node, inputsDone] = stack.pop();
    if (inputsDone) {
      order.push(node);
      continue;
    }
    if (seen.has(node)) continue;
    seen.add(node);
    stack.push([node, true]);
    for (const input of node._inputs ?? []) if (!seen.has(input)) stack.push([input, false]);
  }
  return order;
}

/**
 * Backpropagates from `root`: afterwards every leaf that requires a gradient has it accumulated
 * in `.grad`. `grad` is the gradient of `root` itself (default: 1, for a one-element root).
 */
export function backward(root, grad) {
  assertAutogradAllowed("backward()");
  runBackward(root, grad);
}

/** @internal The engine behind `backward`, also used by library code (gradCheck) regardless of the task. */
export function runBackward(root, grad) {
  if (!root.tracksGrad) {
    throw new Error("backward(): this tensor does not depend on any tensor marked with requiresGrad()");
  }
  if (root._inputs === null && root._localGrads === null && root._graphFreed) {
    throw new Error("backward(): the graph was freed by an earlier backward(); recompute the forward pass");
  }
  noGrad(() => {
    if (grad === undefined && root.size !== 1) {
      throw new Error(
        `backward(): the root has shape [${root.shape}]; pass its gradient or reduce it (e.g. .sum())`,
      );
    }
    if (grad === undefined) checkRoot(root);
    const order = topologicalOrder(root);
    // Gradients under construction, and which of them the engine owns (and may free).
    const grads = new Map([[root, grad ?? root.onesLike()]]);
    const owned = new Set(grad === undefined ? [grads.get(root)] : []);
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i];
      const g = grads.get(node);
      if (g === undefined) continue;
      grads.delete(node);
      if (node._localGrads === null) {
        accumulate(node, g, owned.has(g));
        continue;
      }
      let gPassedOn = false;
      node._inputs.forEach((input, j) => {
        if (!input.tracksGrad) return;
        let gi = tidy(() => node._localGrads[j](g));
        // NOTE: an op like add passes g through unchanged; a second taker gets a copy.
        if (gi === g) {
          if (gPassedOn || !owned.has(g)) gi = g.clone();
          gPassedOn = true;
        }
        owned.add(gi);
        const previous = grads.get(input);
        if (previous === undefined) grads.set(input, gi);
        else {
          const sum = previous.add(gi);
          owned.add(sum);
          previous.dispose();
          // NOTE: when gi is g itself, the node's other inputs may still need g: it is summed, not
          // handed on, so the end of this node's step frees it instead.
          if (gi === g) gPassedOn = false;
          else gi.dispose();
          grads.set(input, sum);
        }
      });
      if (owned.has(g) && !gPassedOn) g.dispose();
      // Like PyTorch, free the graph once it has been walked.
      node._inputs = null;
      node._localGrads = null;
      node._graphFreed = true;
    }
  });
}

/** backward() calls adding into one `.grad` without clearing it, before a warning. */
export const GROWING_GRADIENT_CALLS = 20;

/** Adds `g` into a leaf's `.grad`, which outlives any tidy scope (optimisers read it). */
function accumulate(leaf, g, ownsG) {
  const mine = ownsG ? g : g.clone();
  const previous = leaf._grad;
  leaf.grad = previous === null || previous === undefined ? mine.keep() : previous.add(mine).keep();
  if (previous !== null && previous !== undefined) {
    previous.dispose();
    mine.dispose();
  }
  leaf._accumulated = (leaf._accumulated ?? 0) + 1;
  if (leaf._accumulated === GROWING_GRADIENT_CALLS) {
    console.warn(
      `warning: the gradient of a tensor of shape [${leaf.shape}] has been added up over ` +
        `${GROWING_GRADIENT_CALLS} backward() calls without being cleared, so it keeps growing. ` +
        "Call optimizer.zeroGrad() (or t.zeroGrad()) before each backward()",
    );
  }
}
