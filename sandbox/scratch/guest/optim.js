// @ts-check
/**
 * Optimisers: they read each parameter's `.grad` and update the parameter in place (`assign`),
 * outside autograd and inside `tidy`, so a step leaves no temporary tensors behind.
 *
 * @example
 * const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
import { kernelCall } from "scratch/_host";
import { batchFrees, freeHandle } from "scratch/memory";
import { noGrad, tidy, zerosLike, Tensor } from "scratch/tensor";

/** Most parameters one fused update call takes (the host reads at most 4096 handles per list). */
const FUSED_PARAMETERS = 1000;

/** Base class of optimisers: subclasses implement `update(p, grad, i)`. */
export class Optimizer {
  constructor(params, defaults, options) {
    this.params = [...params];
    if (this.params.length === 0) throw new Error(`${this.constructor.name}: no parameters to optimise`);
    this.options = { ...defaults, ...options };
    this.stepCount = 0;
  }

  /** Clears every parameter's gradient. */
  zeroGrad() {
    batchFrees(() => {
      for (const p of this.params) p.zeroGrad();
    });
  }

  /**
   * The new value of parameter `p` (number `i`) given its gradient: what a subclass implements.
   * @param {Tensor} _p
   * @param {Tensor} _grad
   * @param {number} _i
   * @returns {Tensor}
   */
  update(_p, _grad, _i) {
    throw new Error(`${this.constructor.name} does not implement update()`);
  }

  /** Applies one update to every parameter that has a gradient. */
  step() {
    this.stepCount++;
    noGrad(() =>
      tidy(() => {
        this.params.forEach((p, i) => {
          if (p.grad !== null) p.assign(this.update(p, p.grad, i));
        });
      }),
    );
  }

  /** Frees the optimiser's state tensors. */
  dispose() {}
}

/** Keeps a per-parameter state tensor alive between steps, freeing the previous one. */
function replaceState(states, i, value) {
  states[i]?.dispose();
  states[i] = value.keep();
  return value;
}

/**
 * Stochastic gradient descent; options { lr = 0.01, momentum = 0, weightDecay = 0, fused = true }. Weight decay
 * is coupled (L2 regularisation, as PyTorch's SGD): weightDecay·p is added to the gradient before
 * momentum. Momentum keeps a buffer b = momentum·b + g and steps by lr·b.
 */
export class SGD extends Optimizer {
  constructor(params, options = {}) {
    super(params, { lr: 0.01, momentum: 0, weightDecay: 0, fused: true }, options);
    this.velocity = [];
  }

  /**
   * Applies one update to every parameter that has a gradient: by default as one host kernel for
   * all of them (sgdSteps, the same ops as `update`); `fused: false` runs `update` per parameter.
   */
  step() {
    const { lr, momentum, weightDecay, fused } = this.options;
    const params = this.params;
    const live = [];
    let buffers = 0;
    for (let i = 0; i < params.length; i++)
      if (params[i].grad !== null) {
        live.push(i);
        if (this.velocity[i] !== undefined) buffers++;
      }
    const first = buffers === 0;
    const uniform = first || buffers === live.length;
    if (!fused || !uniform || live.length === 0 || live.length > FUSED_PARAMETERS) return super.step();
    this.stepCount++;
    const withBuffer = momentum > 0 && !first;
    const list = [];
    for (let j = 0; j < live.length; j++) {
      const i = live[j];
      const p = params[i];
      list.push(p.handle, p.grad.handle);
      if (withBuffer) list.push(this.velocity[i].handle);
    }
    // The handle list crosses as its JSON text (kernelCall): no call back into the guest.
    const out = /** @type {number[]} */ (kernelCall("sgdSteps", [list, lr, momentum, weightDecay, first]));
    const per = momentum > 0 ? 2 : 1;
    // The new values replace the old ones inside the same tensors (the old host tensors freed).
    batchFrees(() => {
      for (let j = 0; j < live.length; j++) {
        const i = live[j];
        const p = params[i];
        const size = p.size;
        freeHandle(p._swapHandle(out[j * per]), size);
        if (momentum === 0) continue;
        if (first) this.velocity[i] = new Tensor(out[j * per + 1], { shape: p.shape, untracked: true });
        else freeHandle(this.velocity[i]._swapHandle(out[j * per + 1]), size);
      }
    });
  }

  /** The new value of parameter `p` (number `i`) given its gradient. */
  update(p, grad, i) {
    const { lr, momentum, weightDecay } = this.options;
    let g = weightDecay > 0 ? grad.add(p.mul(weightDecay)) : grad;
    if (momentum > 0) {
      // v ← momentum·v + g;  p ← p − lr·v
      const v = this.velocity[i] === undefined ? g : this.velocity[i].mul(momentum).add(g);
      g = replaceState(this.velocity, i, v === grad ? grad.clone() : v);
    }
    return p.sub(g.mul(lr));
  }

  /** Frees the momentum buffers. */
  dispose() {
    this.velocity.forEach((v) => v?.dispose());
    this.velocity = [];
  }
}

/**
 * Adam: per-parameter step sizes from running means of the gradient and its square; options
 * { lr = 0.001, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, fused = true }. Weight decay
 * is coupled, as in PyTorch's Adam (not AdamW): weightDecay·p is added to the gradient before
 * the moment estimates, so it is scaled by the adaptive step too. Decoupled decay (AdamW) would
 * instead subtract lr·weightDecay·p from p directly; this library does not offer it.
 *
 * `update` below is the algorithm. By default `step()` runs the very same update as one host
 * kernel for all parameters (adamSteps), because a dozen small ops per parameter per step is
 * where a sandboxed training loop spends its time; `fused: false` runs `update` instead.
 */
export class Adam extends Optimizer {
  constructor(params, options = {}) {
    super(params, { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, fused: true }, options);
    this.m = [];
    this.v = [];
  }

  /** Applies one update to every parameter that has a gradient. */
  step() {
    const params = this.params;
    const live = [];
    for (let i = 0; i < params.length; i++) if (params[i].grad !== null) live.push(i);
    if (!this.options.fused || live.length > FUSED_PARAMETERS) return super.step();
    this.stepCount++;
    if (live.length === 0) return;
    const { lr, betas, eps, weightDecay } = this.options;
    const { m, v } = this;
    const list = [];
    for (let j = 0; j < live.length; j++) {
      const i = live[j];
      const p = params[i];
      m[i] ??= zerosLike(p).keep();
      v[i] ??= zerosLike(p).keep();
      list.push(p.handle, p.grad.handle, m[i].handle, v[i].handle);
    }
    // Every parameter in one host call (adamSteps), its handle list crossing as JSON text
    // (kernelCall: no call back into the guest); the old values freed in one more.
    const handles = /** @type {number[]} */ (
      kernelCall("adamSteps", [list, lr, betas[0], betas[1], eps, this.stepCount, weightDecay])
    );
    // The new values replace the old ones inside the same tensors (the old host tensors freed):
    // no Tensor to make per new value.
    batchFrees(() => {
      for (let j = 0; j < live.length; j++) {
        const i = live[j];
        const size = params[i].size;
        freeHandle(params[i]._swapHandle(handles[3 * j]), size);
        freeHandle(m[i]._swapHandle(handles[3 * j + 1]), size);
        freeHandle(v[i]._swapHandle(handles[3 * j + 2]), size);
      }
    });
  }

  /** The new value of parameter `p` (number `i`) given its gradient. */
  update(p, grad, i) {
    const { lr, betas, eps, weightDecay } = this.options;
    const [b1, b2] = betas;
    const g = weightDecay > 0 ? grad.add(p.mul(weightDecay)) : grad;
    const m = replaceState(this.m, i, (this.m[i] ?? zerosLike(p)).mul(b1).add(g.mul(1 - b1)));
    const v = replaceState(this.v, i, (this.v[i] ?? zerosLike(p)).mul(b2).add(g.mul(g).mul(1 - b2)));
    // Bias correction folded into the step size: lr·√(1−b2ᵗ)/(1−b1ᵗ).
    const t = this.stepCount;
    const stepSize = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    return p.sub(m.div(v.sqrt().add(eps)).mul(stepSize));
  }

  /** Frees the moment estimates. */
  dispose() {
    [...this.m, ...this.v].forEach((s) => s?.dispose());
    this.m = [];
    this.v = [];
  }
}
