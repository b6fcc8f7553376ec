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
import { topologicalOrder } from "scratch/graph";
import { batchFrees, GradientStore, tidy } from "scratch/memory";
import { checkRoot } from "scratch/nonfinite";
import { Tensor } from "scratch/tensor";

let gradEnabled = true;

// The _localGrads of a node recorded with a jointGrad only: FUSED by the library's fused ops
// (recordFused; the host may walk them itself), JOINT by any other caller of record().
const FUSED = Object.freeze([]);
const JOINT = Object.freeze([]);
const stringify = JSON.stringify;
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
  return remember(out, inputs, localGrads === null && jointGrad !== null ? JOINT : localGrads, jointGrad);
}

/**
 * @internal Records a library fused op: `out` is the first result of a host kernel the host
 * records on its tape (HostLibrary.tape), `inputs` its tensor arguments as that records them, and
 * `jointGrad` makes no tensor but those it returns (so it runs without a tidy()) and calls the
 * backward kernel the host would. backward() may then hand the walk to the host.
 */
export function recordFused(out, inputs, jointGrad) {
  return remember(out, inputs, FUSED, jointGrad);
}

function remember(out, inputs, localGrads, jointGrad) {
  if (gradEnabled && inputs.some((t) => t.tracksGrad)) {
    out.tracksGrad = true;
    out._computed = true;
    out._inputs = inputs;
    out._localGrads = localGrads;
    out._jointGrad = jointGrad;
  }
  return out;
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
        // Like PyTorch, free the graph once it has been walked.
        node._inputs = null;
        node._localGrads = null;
        node._jointGrad = null;
        node._graphFreed = true;
      }
    }),
  );
}

/**
 * Hands the walk to the host in one call when every node on it is a library fused op
 * (recordFused): the host runs the same backward kernels in the same order (so the same bits) and
 * returns the leaves' gradients, which are added into `.grad` as the walk below would. False (and
 * nothing done) when a node is anything else, a tensor on the path was freed, or the host did not
 * record a node as the graph says.
 */
function walkOnHost(root, order) {
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
  // Like the walk below (and PyTorch), free the graph once it has been walked.
  for (let i = 0; i < order.length; i++) {
    const node = order[i];
    if (node._localGrads === null) continue;
    node._inputs = null;
    node._localGrads = null;
    node._jointGrad = null;
    node._graphFreed = true;
  }
  return true;
}
