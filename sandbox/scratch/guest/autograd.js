// @ts-check
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
import { freeGraph, topologicalOrder } from "scratch/graph";
import { batchFrees, GradientStore, tidy } from "scratch/memory";
import { checkRoot } from "scratch/nonfinite";
import { FUSED, walkOnHost } from "scratch/tape";

let gradEnabled = true;

const JOINT = Object.freeze([]); // the _localGrads of a node recorded with a jointGrad only
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
 * the gradient g of `out`; it is only called for inputs that need one. A fused op whose one host
 * kernel gives all its input gradients also passes `jointGrad(g, needs)`, which backward() calls
 * instead, once (entries only for the inputs with `needs[i]`); localGrads may then be null.
 */
export function record(out, inputs, localGrads, jointGrad = null) {
  if (gradEnabled && inputs.some((t) => t.tracksGrad)) {
    out.tracksGrad = true;
    out._computed = true;
    out._inputs = inputs;
    out._localGrads = localGrads === null && jointGrad !== null ? JOINT : localGrads;
    out._jointGrad = jointGrad;
  }
  return out;
}

/** @internal A library fused op's record (scratch/tape): its jointGrad runs without a tidy(). */
export const recordFused = (out, inputs, jointGrad) => record(out, inputs, FUSED, jointGrad);

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
  if (grad === undefined && root.size !== 1) {
    throw new Error(
      `backward(): the root has shape [${root.shape}]; pass its gradient or reduce it (e.g. .sum())`,
    );
  }
  // The host frees of the whole walk cross the bridge together (small tensors only: memory.js).
  noGrad(() =>
    batchFrees(() => {
      if (grad === undefined) checkRoot(root);
      const order = topologicalOrder(root);
      if (grad === undefined && walkOnHost(root, order)) return;
      const grads = new GradientStore(grad); // frees each gradient once nothing needs it
      grads.add(root, grad ?? root.onesLike());
      for (let i = order.length - 1; i >= 0; i--) {
        const node = order[i];
        const g = grads.take(node);
        if (g === undefined) continue;
        if (node._localGrads === null) {
          node._addGrad(grads.own(g));
          continue;
        }
        // The chain rule: each input's gradient is its local derivative applied to g, summed (a
        // fused op gives them all from one kernel).
        const { _inputs: inputs, _localGrads: localGrads, _jointGrad: jointGrad } = node;
        const needs = inputs.map((input) => input.tracksGrad);
        const fused = localGrads === FUSED; // a library fused op: no tidy() needed
        const joint = jointGrad ? (fused ? jointGrad(g, needs) : tidy(() => jointGrad(g, needs))) : null;
        for (let j = 0; j < inputs.length; j++) {
          if (needs[j]) grads.add(inputs[j], joint ? joint[j] : tidy(() => localGrads[j](g)));
        }
        grads.done(g);
        freeGraph(node); // like PyTorch, once it has been walked
      }
    }),
  );
}
