// @ts-check
/**
 * Optimisers: they read each parameter's `.grad` and update the parameter in place (`assign`),
 * outside autograd and inside `tidy`, so a step leaves no temporary tensors behind.
 *
 * @example
 * const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
import { host } from "scratch/_host";
import { batchFrees } from "scratch/memory";
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
    const live = this.params.flatMap((p, i) => (p.grad === null ? [] : [i]));
    const first = live.every((i) => this.velocity[i] === undefined);
    const uniform = first || live.every((i) => this.velocity[i] !== undefined);
    if (!fused || !uniform || live.length === 0 || live.length > FUSED_PARAMETERS) return super.step();
    this.stepCount++;
    const withBuffer = momentum > 0 && !first;
    const list = live.flatMap((i) => {
      const p = this.params[i];
      const h = [p.handle, p.grad.handle];
      return withBuffer ? [...h, this.velocity[i].handle] : h;
    });
    const out = /** @type {number[]} */ (host.k("sgdSteps", list, lr, momentum, weightDecay, first));
    batchFrees(() => {
      live.forEach((i, j) => {
        const p = this.params[i];
        const per = momentum > 0 ? 2 : 1;
        p.assign(new Tensor(out[j * per], { shape: p.shape, untracked: true }));
        if (momentum > 0)
          replaceState(this.velocity, i, new Tensor(out[j * per + 1], { shape: p.shape, untracked: true }));
      });
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
    const live = this.params.flatMap((p, i) => (p.grad === null ? [] : [i]));
    if (!this.options.fused || live.length > FUSED_PARAMETERS) return super.step();
    this.stepCount++;
    if (live.length === 0) return;
    const { lr, betas, eps, weightDecay } = this.options;
    const list = live.flatMap((i) => {
      const p = this.params[i];
      this.m[i] ??= zerosLike(p).keep();
      this.v[i] ??= zerosLike(p).keep();
      return [p.handle, p.grad.handle, this.m[i].handle, this.v[i].handle];
    });
    // Every parameter in one host call (adamSteps), the old values freed in one more.
    const handles = /** @type {number[]} */ (
      host.k("adamSteps", list, lr, betas[0], betas[1], eps, this.stepCount, weightDecay)
    );
    batchFrees(() => {
      live.forEach((i, j) => {
        const p = this.params[i];
        const [p2, m2, v2] = handles
          .slice(3 * j, 3 * j + 3)
          .map((h) => new Tensor(h, { shape: p.shape, untracked: true }));
        p.assign(p2);
        replaceState(this.m, i, m2);
        replaceState(this.v, i, v2);
      });
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
