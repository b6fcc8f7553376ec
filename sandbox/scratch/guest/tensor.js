// @ts-check
/**
 * Tensors. A `Tensor` is a handle to a tfjs tensor in the host; each op below makes one host
 * kernel call for its forward pass and, right beside it, says how to pass a gradient back to its
 * inputs (read with `scratch/autograd`). Names follow NumPy and PyTorch.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]]);
 * x.matmul(x.transpose()).sum(1).toArray(); // [16, 36]
 */
import { host, kernelCall, publicName } from "scratch/_host";
import { assertAutogradAllowed, record, runBackward } from "scratch/autograd";
import { freeHandle, track, untrack } from "scratch/memory";
import { mulberry32 } from "scratch/prng";
import {
  axesOf,
  broadcastShapes,
  keptShape,
  matmulShape,
  reducedShape,
  resolveReshape,
  sameShape,
} from "scratch/shapes";

export { noGrad, isGradEnabled } from "scratch/autograd";
export { cholesky, solve, solveTriangular } from "scratch/linalg";
export { tidy, dispose, memory } from "scratch/memory";

// ---------------------------------------------------------------------------------------------
// Random numbers: one seeded stream per run (mulberry32). Host random kernels get their seeds
// from it, so `seed(n)` makes every random tensor and data set of a run reproducible.

let uniform = mulberry32(host.seed ?? Math.floor(Math.random() * 4294967296));

/** Seeds every random source of the run (random tensors, data sets, shuffles, dropout). */
export function seed(n) {
  if (!Number.isInteger(n)) throw new TypeError("seed(n): n must be an integer");
  uniform = mulberry32(n >>> 0);
}

/** A uniform number in [0, 1) from the run's seeded stream. */
export function random() {
  return uniform();
}

/** @internal A fresh integer seed for a host random kernel. */
export function nextSeed() {
  return Math.floor(uniform() * 2147483647);
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** backward() calls adding into one `.grad` without clearing it, before a warning. */
const GROWING_GRADIENT_CALLS = 20;

/** A new tensor from kernel `op`, remembering the op (named when it produces the first NaN). */
function fromKernel(op, args, shape) {
  return wrap(kernelCall(op, args), shape, publicName(op));
}

const call = (op, ...args) => fromKernel(op, args, null);

/**
 * Like `call`, for an op whose output shape the guest already knows (or null): a known shape
 * saves asking the host for it later, which costs a bridge crossing.
 */
const shaped = (shape, op, ...args) => fromKernel(op, args, shape);

/**
 * Throws a readable error when two known shapes do not broadcast, naming the first axis
 * (from the right) where they clash.
 */
function assertBroadcast(op, a, b) {
  if (a === null || b === null || broadcastShapes(a, b) !== null) return;
  const n = Math.max(a.length, b.length);
  for (let i = 1; i <= n; i++) {
    const x = a[a.length - i] ?? 1;
    const y = b[b.length - i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new RangeError(
        `${op}: shapes [${a}] and [${b}] do not broadcast: axis ${-i} has sizes ${x} and ${y} ` +
          "(sizes must be equal, or one of them 1)",
      );
    }
  }
}

/**
 * The targeted message for matmul operands whose inner dimensions differ: it suggests the
 * transpose or the swap that would fit.
 */
function matmulMismatch(a, b) {
  if (a.length < 2 || b.length < 2) {
    const v = a.length < 2 ? "first" : "second";
    return (
      `matmul: needs matrices (rank ≥ 2), got [${a}] and [${b}]; make the ${v} operand a row ` +
      "with .reshape([1, -1]) or a column with .reshape([-1, 1])"
    );
  }
  const [m, k] = a.slice(-2);
  const [k2, n] = b.slice(-2);
  if (k === k2) return null;
  const base = `matmul: cannot multiply [${a}] by [${b}]: the first operand's last axis (${k}) must equal the second's next-to-last axis (${k2})`;
  if (k === n) return `${base}; did you mean x.matmul(y.transpose()), giving [${m}, ${k2}]?`;
  if (m === k2) return `${base}; did you mean x.transpose().matmul(y), giving [${k}, ${n}]?`;
  if (n === m) return `${base}; are the operands in the wrong order? y.matmul(x) fits, giving [${k2}, ${k}]`;
  return base;
}

/** A tensor's shape if already known in the guest, else null (a number is a scalar). */
const known = (t) => (typeof t === "number" ? [] : t._shape);

/** A shape argument checked, as a new array of the library's own (the caller's is not kept). */
function shapeArg(shape, what, allowInferred = false) {
  const s = typeof shape === "number" ? [shape] : Array.isArray(shape) ? [...shape] : shape;
  const ok = (d) => Number.isInteger(d) && (d >= 0 || (allowInferred && d === -1));
  if (!Array.isArray(s) || !s.every(ok)) {
    throw new TypeError(
      `${what}: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`,
    );
  }
  return s;
}

/** The shape of a matmul-backward product for plain 2-D operands: that of `input`. */
function flat2d(input, other) {
  const a = known(input);
  const b = known(other);
  return a !== null && b !== null && a.length === 2 && b.length === 2 ? a : null;
}

/** Spreads the gradient of a reduction over `axes` back over the reduced input's shape. */
function spread(g, shape, axes, keepDims) {
  // A full reduction's gradient is a scalar, and keepDims keeps size-1 axes: both broadcast as is.
  const kept = axes === null || keepDims ? g : g.reshape(keptShape(shape, axes));
  return kept.broadcastTo(shape);
}

/** Sums a broadcast gradient back to the shape of the input it came from. */
function unbroadcast(g, shape) {
  // dx = Σ_broadcast-axes g, fused (readable form: derivatives.js sumTo)
  return sameShape(g.shape, shape) ? g : shaped(shape, "sumTo", g.handle, shape);
}

/**
 * A binary op: `other` is a tensor, or a number (then the "…Number" kernel takes it directly and
 * it needs no gradient). `localGrads(a, b, out)` returns one gradient function per input.
 */
function binary(a, other, op, localGrads) {
  // NOTE: the "…Number" kernels take finite numbers; ±Infinity and NaN become scalar tensors.
  if (typeof other === "number" && !Number.isFinite(other)) {
    const operand = scalar(other);
    const out = binary(a, operand, op, localGrads);
    out._owned = [...(out._owned ?? []), operand];
    return out;
  }
  if (typeof other === "number") {
    const out = shaped(known(a), `${op}Number`, a.handle, other);
    return record(out, [a], localGrads(a, other, out).slice(0, 1));
  }
  if (!(other instanceof Tensor))
    throw new TypeError(`${op}: expected a tensor or a number, got ${typeof other}`);
  assertBroadcast(op, known(a), known(other));
  const out = shaped(broadcastShapes(known(a), known(other)), op, a.handle, other.handle);
  return record(out, [a, other], localGrads(a, other, out));
}

/** The shape of an operand (a number broadcasts like a scalar). */
const shapeOf = (x) => (typeof x === "number" ? [] : x.shape);

function scalar(value) {
  if (typeof value !== "number") throw new TypeError(`expected a tensor or a number, got ${typeof value}`);
  return wrap(constant([], value), []).keep();
}

/**
 * A host tensor of `shape` filled with `value`. The `fill` kernel takes finite numbers only, so
 * ±Infinity and NaN travel as Float32 data (one value, broadcast to the shape).
 */
function constant(shape, value) {
  if (Number.isFinite(value)) return kernelCall("fill", [shape, value, "float32"]);
  const one = /** @type {number} */ (kernelCall("tensor", [Float32Array.of(value).buffer, [], "float32"]));
  const out = kernelCall("broadcastTo", [one, shape]);
  host.free(one);
  return out;
}

function flatten(values, shape, out) {
  if (Array.isArray(values)) {
    shape.push(values.length);
    const inner = [];
    values.forEach((v, i) => {
      const s = [];
      flatten(v, s, out);
      if (i === 0) inner.push(...s);
      else if (!sameShape(s, inner)) throw new TypeError("tensor(): nested arrays must be rectangular");
    });
    shape.push(...inner);
  } else if (typeof values === "number" || typeof values === "boolean") out.push(Number(values));
  else throw new TypeError(`tensor(): expected numbers or nested arrays of numbers, got ${typeof values}`);
}

function nest(flat, shape, offset = 0) {
  if (shape.length === 0) return flat[offset];
  const [n, ...rest] = shape;
  const stride = rest.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => nest(flat, rest, offset + i * stride));
}

function format(value) {
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  return `[${value.map(format).join(", ")}]`;
}

// ---------------------------------------------------------------------------------------------

/** Set by `wrap` for the constructor it calls (no guest code runs in between): use `wrappedShape`. */
let wrapping = false;
/** The shape `wrap` hands the constructor it is calling. */
let wrappedShape = null;

/**
 * @internal A Tensor for a kernel's result whose shape the library worked out: `shape` (an array
 * the library made, or another tensor's shape) is frozen and kept as it is, without the copy the
 * public constructor makes of a caller's array; `op` names the op (for the NaN finder).
 * @param {unknown} handle a kernel's result: a tensor handle
 * @param {number[] | readonly number[] | null} shape
 * @param {string | null} [op]
 */
export function wrap(handle, shape, op = null) {
  wrappedShape = shape === null ? null : Object.freeze(shape);
  wrapping = true;
  const t = new Tensor(handle);
  t._op = op;
  return t;
}

/**
 * An n-dimensional array of numbers living in the host, with autograd: made by `tensor()`,
 * `zeros()`, `randn()`… and by every op.
 */
export class Tensor {
  /**
   * The host handle (0 once disposed). Private, so code a check hands this tensor to (an attempt)
   * cannot point it at other data.
   * @type {number}
   */
  #h = 0;

  /** @internal Wraps a host handle; use `tensor()`, `zeros()`… to make tensors. */
  constructor(handle, { untracked = false, shape = null } = {}) {
    this.#h = handle;
    if (wrapping) {
      wrapping = false;
      this._shape = wrappedShape;
    } else this._shape = shape === null ? null : Object.freeze([...shape]);
    this._grad = null;
    /** How many backward() calls added into `.grad` since it was last cleared. */
    this._accumulated = 0;
    /** Whether this tensor takes part in autograd (set by `requiresGrad()` or by an op). */
    this.tracksGrad = false;
    this._inputs = null;
    this._localGrads = null;
    /** Set by record() for a fused op: one function giving the gradients of all inputs at once. */
    this._jointGrad = null;
    this._kept = untracked ? true : false;
    /** Set by record() on a tensor computed by an op that autograd tracks (not a leaf). */
    this._computed = false;
    /** The scratch op that made this tensor (named when it produces the first NaN). */
    this._op = null;
    /** Set by nn.parameter(). */
    this._isParameter = false;
    /** Helper tensors (scalar operands, index lists) that live and die with this one. */
    this._owned = null;
    /** The values of a one-element tensor once read (tensors never change but by assign()). */
    this._values = null;
    track(this);
    if (Tensor._onCreate !== null) Tensor._onCreate(this);
  }

  /**
   * The gradient accumulated by `backward()`, a tensor of this shape, or null. Only leaves get one
   * (tensors marked with `requiresGrad()`, and layer parameters); reading it on a tensor computed
   * by an op raises an error saying why.
   */
  get grad() {
    if (this._grad === null && this._computed === true) {
      throw new Error(
        `.grad: this tensor (shape [${this.shape}]) was computed by an op, so backward() keeps no ` +
          "gradient for it: only leaves marked with requiresGrad() get .grad. An update like " +
          "`w = w.sub(w.grad.mul(lr))` replaces the leaf w by a computed tensor; write " +
          "`w = noGrad(() => w.sub(w.grad.mul(lr))).requiresGrad()` or update in place with w.assign(…)",
      );
    }
    return this._grad;
  }

  set grad(value) {
    this._grad = value;
    if (value === null) this._accumulated = 0;
  }

  /** The host handle (throws once the tensor is disposed). */
  get handle() {
    if (this.#h === 0) throw new Error("this tensor was disposed (by dispose() or at the end of a tidy())");
    return this.#h;
  }

  /** The shape, e.g. [2, 3]. */
  get shape() {
    if (this._shape === null) this._shape = Object.freeze(host.shape(this.handle));
    return this._shape;
  }

  /** "float32", or "int32" for argmax results. */
  get dtype() {
    return host.dtype(this.handle);
  }

  /** Number of dimensions. */
  get ndim() {
    return this.shape.length;
  }

  /** Number of elements. */
  get size() {
    const shape = this.shape;
    let n = 1;
    for (let i = 0; i < shape.length; i++) n *= shape[i];
    return n;
  }

  /** Whether `dispose()` has freed this tensor. */
  get isDisposed() {
    return this.#h === 0;
  }

  // -- lifetime --------------------------------------------------------------------------------

  /** Frees the host tensor (and its gradient) now. Safe to call twice. */
  dispose() {
    if (this.#h === 0) return;
    freeHandle(this.#h, this._shape === null ? undefined : this.size);
    this.#h = 0;
    untrack();
    if (this._owned !== null) for (const t of this._owned) t.dispose();
    this._owned = null;
    if (this._grad !== null) this._grad.dispose();
    this._grad = null; // what `this.grad = null` does, without the setter call
    this._accumulated = 0;
    this._inputs = null;
    this._localGrads = null;
    this._jointGrad = null;
  }

  /** Exempts this tensor from any enclosing `tidy()`; returns it. */
  keep() {
    this._kept = true;
    return this;
  }

  /**
   * Replaces this tensor's values with those of `value` (same shape), taking over its host
   * tensor: the in-place update optimisers use. Not recorded by autograd.
   */
  assign(value) {
    if (!sameShape(this.shape, value.shape)) {
      throw new Error(`assign(): shape [${value.shape}] does not match [${this.shape}]`);
    }
    if (this.#h === value.#h) return this;
    freeHandle(this.#repoint(value.handle, value._owned), this.size);
    value.#h = 0;
    untrack();
    value._owned = null;
    return this;
  }

  /**
   * @internal Points this tensor at `handle`, a fresh kernel result of the same shape that no
   * other tensor holds, and returns the handle it held, now the caller's to free: an optimiser's
   * in-place update without wrapping each new value in a Tensor first (what assign() takes).
   */
  _swapHandle(handle) {
    const previous = this.handle; // throws once disposed
    this.#repoint(handle, null);
    return previous;
  }

  /**
   * Points this tensor at `handle`, its helper tensors replaced by `owned` (the old ones disposed)
   * and its cached value dropped; returns the handle it held, for the caller to free.
   */
  #repoint(handle, owned) {
    const previous = this.#h;
    this.#h = handle;
    this._values = null;
    if (this._owned !== null) for (const t of this._owned) t.dispose();
    this._owned = owned;
    return previous;
  }

  /** A copy that does not track gradients. */
  detach() {
    return shaped(this._shape, "clone", this.handle);
  }

  /** A copy (autograd passes gradients through it). */
  clone() {
    return record(shaped(this._shape, "clone", this.handle), [this], [(g) => g]);
  }

  // -- autograd ---------------------------------------------------------------------------------

  /** Marks this tensor as a leaf whose gradient `backward()` computes; returns it. */
  requiresGrad(flag = true) {
    if (flag) assertAutogradAllowed("requiresGrad()");
    this.tracksGrad = flag;
    return this;
  }

  /** Backpropagates from this tensor (one element, or pass its gradient). */
  backward(grad) {
    assertAutogradAllowed("backward()");
    runBackward(this, grad);
  }

  /**
   * @internal Adds `g` (now this tensor's to keep) into `.grad`, which outlives any tidy scope;
   * warns when a gradient keeps growing because it is never cleared.
   */
  _addGrad(g) {
    const previous = this._grad;
    this.grad = previous === null ? g.keep() : previous.add(g).keep();
    if (previous !== null) {
      previous.dispose();
      g.dispose();
    }
    this._accumulated++;
    if (this._accumulated === GROWING_GRADIENT_CALLS) {
      console.warn(
        `warning: the gradient of a tensor of shape [${this.shape}] has been added up over ` +
          `${GROWING_GRADIENT_CALLS} backward() calls without being cleared, so it keeps growing. ` +
          "Call optimizer.zeroGrad() (or t.zeroGrad()) before each backward()",
      );
    }
  }

  /** Frees and clears `.grad`. */
  zeroGrad() {
    if (this._grad !== null) this._grad.dispose();
    this.grad = null;
  }

  // -- reading values ---------------------------------------------------------------------------

  /** All values as a flat Float32Array. */
  data() {
    const handle = this.handle;
    if (this._values !== null) return this._values.slice();
    const values = new Float32Array(/** @type {ArrayBuffer} */ (kernelCall("read", [handle])));
    // A one-element tensor (a loss) is read by backward()'s NaN check and again by item(): keep it.
    if (values.length === 1) this._values = values.slice();
    return values;
  }

  /** The values as nested JS arrays (a number for a scalar). */
  toArray() {
    return nest(this.data(), this.shape);
  }

  /** The value of a one-element tensor. */
  item() {
    if (this.size !== 1) throw new Error(`item(): the tensor has ${this.size} elements, not 1`);
    return this.data()[0];
  }

  /** A readable rendering, e.g. "tensor([[1, 2], [3, 4]])". */
  toString() {
    if (this.#h === 0) return "tensor(<disposed>)";
    if (this.size > 1000) return `tensor(shape [${this.shape}])`;
    return `tensor(${format(this.toArray())})`;
  }

  // -- elementwise, broadcasting ----------------------------------------------------------------

  /** this + y (y a tensor or a number). */
  add(y) {
    return binary(this, y, "add", (a, b) => [
      (g) => unbroadcast(g, a.shape),
      (g) => unbroadcast(g, shapeOf(b)),
    ]);
  }

  /** this − y. */
  sub(y) {
    return binary(this, y, "sub", (a, b) => [
      (g) => unbroadcast(g, a.shape),
      (g) => unbroadcast(g.neg(), shapeOf(b)),
    ]);
  }

  /** this · y. */
  mul(y) {
    return binary(this, y, "mul", (a, b) => [
      (g) => unbroadcast(g.mul(b), a.shape),
      (g) => unbroadcast(g.mul(a), shapeOf(b)),
    ]);
  }

  /** this / y. */
  div(y) {
    return binary(this, y, "div", (a, b, out) => [
      (g) => unbroadcast(g.div(b), a.shape),
      // NOTE: d(a/b)/db = −a/b² = −out/b, reusing the forward result.
      (g) => unbroadcast(g.mul(out).div(b).neg(), shapeOf(b)),
    ]);
  }

  /** this ** y. */
  pow(y) {
    return binary(this, y, "pow", (a, b, out) => [
      (g) => unbroadcast(g.mul(b).mul(a.pow(typeof b === "number" ? b - 1 : b.sub(1))), a.shape),
      (g) => unbroadcast(g.mul(out).mul(a.log()), shapeOf(b)),
    ]);
  }

  /** Elementwise maximum with y (the gradient goes to the larger; ties to this). */
  maximum(y) {
    return binary(this, y, "maximum", (a, b) => [
      (g) => unbroadcast(g.mul(a.ge(b)), a.shape),
      (g) => unbroadcast(g.mul(a.lt(b)), shapeOf(b)),
    ]);
  }

  /** Elementwise minimum with y. */
  minimum(y) {
    return binary(this, y, "minimum", (a, b) => [
      (g) => unbroadcast(g.mul(a.le(b)), a.shape),
      (g) => unbroadcast(g.mul(a.gt(b)), shapeOf(b)),
    ]);
  }

  /** −x. */
  neg() {
    return record(shaped(this._shape, "neg", this.handle), [this], [(g) => g.neg()]);
  }

  /** eˣ. */
  exp() {
    const out = shaped(this._shape, "exp", this.handle);
    return record(out, [this], [(g) => g.mul(out)]);
  }

  /** Natural logarithm. */
  log() {
    return record(shaped(this._shape, "log", this.handle), [this], [(g) => g.div(this)]);
  }

  /** Square root. */
  sqrt() {
    const out = shaped(this._shape, "sqrt", this.handle);
    return record(out, [this], [(g) => g.div(out.mul(2))]);
  }

  /** |x|. */
  abs() {
    return record(shaped(this._shape, "abs", this.handle), [this], [(g) => g.mul(this.sign())]);
  }

  /** −1, 0 or 1 per element (no gradient). */
  sign() {
    return shaped(this._shape, "sign", this.handle);
  }

  /** Hyperbolic tangent. */
  tanh() {
    const out = shaped(this._shape, "tanh", this.handle);
    // dx = g · (1 − y²), fused (readable form: derivatives.js tanhBackward)
    return record(out, [this], [(g) => shaped(out._shape, "tanhBackward", out.handle, g.handle)]);
  }

  /** 1 / (1 + e⁻ˣ). */
  sigmoid() {
    const out = shaped(this._shape, "sigmoid", this.handle);
    // dx = g · y · (1 − y), fused (readable form: derivatives.js sigmoidBackward)
    return record(out, [this], [(g) => shaped(out._shape, "sigmoidBackward", out.handle, g.handle)]);
  }

  /** max(x, 0). */
  relu() {
    // dx = g where x > 0, fused (readable form: derivatives.js reluBackward)
    return record(
      shaped(this._shape, "relu", this.handle),
      [this],
      [(g) => shaped(this._shape, "reluBackward", this.handle, g.handle)],
    );
  }

  /** softplus(x) = log(1 + eˣ), a smooth relu; computed without overflow. */
  softplus() {
    const out = shaped(this._shape, "softplus", this.handle);
    // d/dx log(1 + eˣ) = eˣ / (1 + eˣ) = σ(x)
    return record(out, [this], [(g) => g.mul(this.sigmoid())]);
  }

  /** log σ(x) = −softplus(−x), stable for large |x| (log of a sigmoid that rounded to 0 is −∞). */
  logSigmoid() {
    const out = shaped(this._shape, "logSigmoid", this.handle);
    // d/dx log σ(x) = 1 − σ(x) = σ(−x)
    return record(out, [this], [(g) => g.mul(this.neg().sigmoid())]);
  }

  /** Sine. */
  sin() {
    return record(shaped(this._shape, "sin", this.handle), [this], [(g) => g.mul(this.cos())]);
  }

  /** Cosine. */
  cos() {
    return record(shaped(this._shape, "cos", this.handle), [this], [(g) => g.mul(this.sin()).neg()]);
  }

  /** Values limited to [low, high]; the gradient flows where no limit applied. */
  clamp(low = -Infinity, high = Infinity) {
    const lo = Math.max(low, -3.4e38);
    const hi = Math.min(high, 3.4e38);
    return record(
      shaped(this._shape, "clip", this.handle, lo, hi),
      [this],
      [(g) => g.mul(this.ge(lo).mul(this.le(hi)))],
    );
  }

  /** Rounds down (no gradient). */
  floor() {
    return shaped(this._shape, "floor", this.handle);
  }

  /** Rounds to the nearest integer (no gradient). */
  round() {
    return shaped(this._shape, "round", this.handle);
  }

  // Comparisons give float 0/1 masks (no gradient): `pred.eq(y).mean()` is an accuracy.

  /** 1 where this == y, else 0. */
  eq(y) {
    return binary(this, y, "eq", () => []);
  }

  /** 1 where this != y, else 0. */
  ne(y) {
    return binary(this, y, "ne", () => []);
  }

  /** 1 where this < y, else 0. */
  lt(y) {
    return binary(this, y, "lt", () => []);
  }

  /** 1 where this <= y, else 0. */
  le(y) {
    return binary(this, y, "le", () => []);
  }

  /** 1 where this > y, else 0. */
  gt(y) {
    return binary(this, y, "gt", () => []);
  }

  /** 1 where this >= y, else 0. */
  ge(y) {
    return binary(this, y, "ge", () => []);
  }

  /** A tensor of ones with this shape. */
  onesLike() {
    return wrap(constant(this.shape, 1), this.shape);
  }

  /** A tensor of zeros with this shape. */
  zerosLike() {
    return wrap(constant(this.shape, 0), this.shape);
  }

  // -- matrix products --------------------------------------------------------------------------

  /** Matrix product; leading (batch) dimensions broadcast. */
  matmul(y) {
    if (!(y instanceof Tensor)) throw new TypeError(`matmul: expected a tensor, got ${typeof y}`);
    const mismatch = matmulMismatch(this.shape, y.shape);
    if (mismatch !== null) throw new RangeError(mismatch);
    const out = shaped(matmulShape(known(this), known(y)), "matmul", this.handle, y.handle, false, false);
    return record(
      out,
      [this, y],
      [
        (g) => unbroadcast(shaped(flat2d(this, y), "matmul", g.handle, y.handle, false, true), this.shape), // g · yᵀ
        (g) => unbroadcast(shaped(flat2d(y, this), "matmul", this.handle, g.handle, true, false), y.shape), // xᵀ · g
      ],
    );
  }

  // -- reductions -------------------------------------------------------------------------------

  /** Sum over `axis` (a number, a list, or all when omitted). */
  sum(axis, keepDims = false) {
    const axes = axesOf(axis, this.ndim);
    const out = shaped(reducedShape(known(this), axes, keepDims), "sum", this.handle, axes, keepDims);
    return record(out, [this], [(g) => spread(g, this.shape, axes, keepDims)]);
  }

  /** Mean over `axis` (a number, a list, or all when omitted). */
  mean(axis, keepDims = false) {
    const axes = axesOf(axis, this.ndim);
    const out = shaped(reducedShape(known(this), axes, keepDims), "mean", this.handle, axes, keepDims);
    const count = this.size / Math.max(out.size, 1);
    return record(out, [this], [(g) => spread(g.div(count), this.shape, axes, keepDims)]);
  }

  /**
   * Largest value over `axis` (a number, a list, or all when omitted; values only, see argmax).
   * The gradient goes to the elements equal to the maximum; tied maxima share it equally (as
   * PyTorch's amax), so [1, 3, 3].max() passes 0.5 to each 3.
   */
  max(axis, keepDims = false) {
    return this._extreme("max", axis, keepDims);
  }

  /** Smallest value over `axis`; tied minima share the gradient equally, as in `max`. */
  min(axis, keepDims = false) {
    return this._extreme("min", axis, keepDims);
  }

  _extreme(op, axis, keepDims) {
    const axes = axesOf(axis, this.ndim);
    const out = shaped(reducedShape(known(this), axes, keepDims), op, this.handle, axes, keepDims);
    return record(
      out,
      [this],
      [
        (g) => {
          const kept = keptShape(this.shape, axes);
          const y = out.reshape(kept);
          // dx = g · [x = y] / #{x = y}, fused (readable form: derivatives.js extremeBackward)
          return shaped(this._shape, "extremeBackward", this.handle, y.handle, g.reshape(kept).handle, axes);
        },
      ],
    );
  }

  /**
   * log Σ exp(x) over `axis` (default: the last; null: all), computed stably by shifting by the
   * maximum: the smooth maximum behind softmax and cross-entropy.
   * @example tensor([[0, 0]]).logsumexp(-1).item(); // log 2 ≈ 0.693
   */
  logsumexp(axis = -1, keepDims = false) {
    const axes = axesOf(axis, this.ndim);
    const out = shaped(reducedShape(known(this), axes, keepDims), "logSumExp", this.handle, axes, keepDims);
    // d/dx log Σ exp(x) = exp(x) / Σ exp(x) = exp(x − out) = softmax(x)
    const softmax = () => this.sub(out.reshape(keptShape(this.shape, axes))).exp();
    return record(out, [this], [(g) => spread(g, this.shape, axes, keepDims).mul(softmax())]);
  }

  /** Index of the largest value along `axis` (int32, no gradient). */
  argmax(axis = -1) {
    return call("argmax", this.handle, axis);
  }

  /** Index of the smallest value along `axis`. */
  argmin(axis = -1) {
    return call("argmin", this.handle, axis);
  }

  /** Variance over `axis` (population variance, like torch's unbiased=False). */
  variance(axis, keepDims = false) {
    const centered = this.sub(this.mean(axis, true));
    return centered.pow(2).mean(axis, keepDims);
  }

  // -- softmax ----------------------------------------------------------------------------------

  /** exp(x) / Σ exp(x) along `axis`. */
  softmax(axis = -1) {
    const out = shaped(this._shape, "softmax", this.handle, axis);
    // dx = y · (g − Σ g·y), fused (readable form: derivatives.js softmaxBackward)
    return record(out, [this], [(g) => shaped(out._shape, "softmaxBackward", out.handle, g.handle, axis)]);
  }

  /** log(softmax(x)) computed stably along `axis`. */
  logSoftmax(axis = -1) {
    const out = shaped(this._shape, "logSoftmax", this.handle, axis);
    // dx = g − exp(y) · Σ g, fused (readable form: derivatives.js logSoftmaxBackward)
    return record(out, [this], [(g) => shaped(out._shape, "logSoftmaxBackward", out.handle, g.handle, axis)]);
  }

  // -- movement ---------------------------------------------------------------------------------

  /** Same values, new shape; one entry may be −1. */
  reshape(shape) {
    const target = shapeArg(shape, "reshape", true);
    const out = shaped(resolveReshape(known(this), target), "reshape", this.handle, target);
    return record(out, [this], [(g) => g.reshape(this.shape)]);
  }

  /** Flattens dimensions from `start` on: [n, c, h, w] → [n, c·h·w]. */
  flatten(start = 1) {
    return this.reshape([...this.shape.slice(0, start), -1]);
  }

  /**
   * transpose() reverses the axes (a matrix's transpose); transpose(a, b) swaps two axes;
   * transpose([…]) applies a permutation.
   */
  transpose(...args) {
    const rank = this.ndim;
    let perm;
    if (args.length === 0) perm = Array.from({ length: rank }, (_, i) => rank - 1 - i);
    else if (Array.isArray(args[0])) perm = args[0];
    else {
      perm = Array.from({ length: rank }, (_, i) => i);
      const a = args[0] < 0 ? args[0] + rank : args[0];
      const b = args[1] < 0 ? args[1] + rank : args[1];
      [perm[a], perm[b]] = [perm[b], perm[a]];
    }
    const inverse = perm.map((_, i) => perm.indexOf(i));
    const shape = known(this) === null ? null : perm.map((i) => this._shape[i]);
    return record(shaped(shape, "transpose", this.handle, perm), [this], [(g) => g.transpose(inverse)]);
  }

  /** The block starting at `begin` with `size` (−1: to the end) per axis. */
  slice(begin, size) {
    const shape = this.shape;
    const b = shape.map((_, i) => begin[i] ?? 0);
    const s = shape.map((d, i) => (size?.[i] === undefined || size[i] === -1 ? d - b[i] : size[i]));
    const out = shaped(s, "slice", this.handle, b, s);
    return record(out, [this], [(g) => g.pad(shape.flatMap((d, i) => [b[i], d - b[i] - s[i]]))]);
  }

  /** Pads with `value`: amounts = [before0, after0, before1, after1, …]. */
  pad(amounts, value = 0) {
    const padded = known(this)?.map((d, i) => d + amounts[2 * i] + amounts[2 * i + 1]) ?? null;
    const out = shaped(padded, "pad", this.handle, amounts, value);
    const begin = this.shape.map((_, i) => amounts[2 * i]);
    return record(out, [this], [(g) => g.slice(begin, this.shape)]);
  }

  /** Rows (or slices along `axis`) picked by an index tensor or list: x.gather([2, 0]). */
  gather(indices, axis = 0) {
    const idx = indices instanceof Tensor ? indices : tensor(indices);
    const a = axis < 0 ? axis + this.ndim : axis;
    const xs = known(this);
    const is = known(idx);
    const gathered = xs === null || is === null ? null : [...xs.slice(0, a), ...is, ...xs.slice(a + 1)];
    const out = shaped(gathered, "gather", this.handle, idx.handle, a);
    if (!(indices instanceof Tensor)) out._owned = [idx.keep()];
    return record(
      out,
      [this],
      // dx[…, i, …] = Σ_{j: idx[j] = i} g[…, j, …], fused (readable form: derivatives.js gatherBackward)
      [(g) => shaped(this.shape, "gatherBackward", g.handle, idx.handle, this.shape, a)],
    );
  }

  /** Repeats size-1 axes (and adds leading ones) to reach `shape`. */
  broadcastTo(shape) {
    const target = shapeArg(shape, "broadcastTo");
    const out = shaped(target, "broadcastTo", this.handle, target);
    return record(out, [this], [(g) => unbroadcast(g, this.shape)]);
  }

  /** Inserts a size-1 axis at `axis`. */
  unsqueeze(axis) {
    const shape = [...this.shape];
    shape.splice(axis < 0 ? axis + shape.length + 1 : axis, 0, 1);
    return this.reshape(shape);
  }

  /** Removes size-1 axes (or only `axis`). */
  squeeze(axis) {
    const a = axis === undefined ? null : axis < 0 ? axis + this.ndim : axis;
    return this.reshape(this.shape.filter((d, i) => d !== 1 || (a !== null && i !== a)));
  }

  // -- images -----------------------------------------------------------------------------------

  /** 2-D convolution, NCHW input with weight [out, in, kh, kw]: see `conv2d`. */
  conv2d(weight, options) {
    return conv2d(this, weight, options);
  }

  /**
   * Max pooling over kernel × kernel windows of an NCHW tensor (kernel and stride: a number or
   * [h, w]); output size ⌊(h + 2·padding − kernel) / stride⌋ + 1. Padding (at most half the
   * kernel) counts as −∞: it is never the maximum and never gets gradient. Tied maxima in a window
   * share its gradient equally.
   */
  maxPool2d(kernel = 2, stride = kernel, padding = 0) {
    return pool2d("maxPool2d", this, kernel, stride, padding);
  }

  /**
   * Average pooling over kernel × kernel windows of an NCHW tensor. Padded cells (at most half the
   * kernel) count as zeros and every window divides by kernel_h·kernel_w, forward and backward
   * alike — PyTorch's default (count_include_pad=True): a corner window with padding 1 and
   * kernel 2 averages one real cell as x/4.
   */
  avgPool2d(kernel = 2, stride = kernel, padding = 0) {
    return pool2d("avgPool2d", this, kernel, stride, padding);
  }
}

/** @internal A test hook called with every new tensor (checks the guest's shape inference). */
Tensor._onCreate = null;

const pairOf = (v) => (Array.isArray(v) ? v : [v, v]);

/**
 * 2-D convolution: x [batch, inChannels, h, w], weight [outChannels, inChannels, kh, kw],
 * optional bias [outChannels]; options { stride = 1, padding = 0 }.
 * @param {Tensor} x
 * @param {Tensor} weight
 * @param {{ stride?: number | number[], padding?: number | number[], bias?: Tensor }} [options]
 */
export function conv2d(x, weight, { stride = 1, padding = 0, bias } = {}) {
  const s = pairOf(stride);
  const p = pairOf(padding);
  const out = record(
    call("conv2d", x.handle, weight.handle, s, p),
    [x, weight],
    // y[n,o,i,j] = Σ_{c,p,q} x[n,c,i·sh+p−ph, j·sw+q−pw] · w[o,c,p,q], so
    // dx[n,c,h,w] = Σ g[n,o,i,j] · w[o,c,p,q] over the terms that read x[n,c,h,w], and
    // dw[o,c,p,q] = Σ_{n,i,j} g[n,o,i,j] · x[n,c,i·sh+p−ph, j·sw+q−pw], both fused
    // (readable forms: derivatives.js conv2dBackwardInput, conv2dBackwardFilter)
    [
      (g) => shaped(x.shape, "conv2dBackwardInput", g.handle, weight.handle, x.shape, s, p),
      (g) => shaped(weight.shape, "conv2dBackwardFilter", x.handle, g.handle, weight.shape, s, p),
    ],
  );
  return bias === undefined ? out : out.add(bias.reshape([1, -1, 1, 1]));
}

function pool2d(op, x, kernel, stride, padding) {
  const k = pairOf(kernel);
  const s = pairOf(stride);
  const out = call(op, x.handle, k, s, padding);
  // max: dx = Σ_windows g · [x = max] / #{x = max}; avg: dx = Σ_windows g / (kh·kw), over the
  // windows covering each cell; fused (readable forms: derivatives.js maxPool2dBackward, avgPool2dBackward)
  return record(out, [x], [(g) => shaped(x.shape, `${op}Backward`, g.handle, x.handle, k, s, padding)]);
}

// ---------------------------------------------------------------------------------------------
// Combining tensors

/** Joins tensors along an existing axis. */
export function concat(tensors, axis = 0) {
  const rank = tensors[0].ndim;
  const a = axis < 0 ? axis + rank : axis;
  const out = call(
    "concat",
    tensors.map((t) => t.handle),
    a,
  );
  let offset = 0;
  const grads = tensors.map((t) => {
    const begin = t.shape.map((_, i) => (i === a ? offset : 0));
    offset += t.shape[a];
    return (g) => g.slice(begin, t.shape);
  });
  return record(out, tensors, grads);
}

/** Stacks same-shaped tensors along a new axis. */
export function stack(tensors, axis = 0) {
  const rank = tensors[0].ndim + 1;
  const a = axis < 0 ? axis + rank : axis;
  const out = call(
    "stack",
    tensors.map((t) => t.handle),
    a,
  );
  const grads = tensors.map((t, j) => (g) => {
    const begin = g.shape.map((_, i) => (i === a ? j : 0));
    const size = g.shape.map((d, i) => (i === a ? 1 : d));
    return g.slice(begin, size).reshape(t.shape);
  });
  return record(out, tensors, grads);
}

/**
 * Elementwise choice: a where cond is non-zero, else b (numbers allowed, ±Infinity too; all
 * broadcast). The gradient goes to the side chosen.
 * @example where(mask, scores, -Infinity)
 */
export function where(cond, a, b) {
  const ta = a instanceof Tensor ? a : scalar(a);
  const tb = b instanceof Tensor ? b : scalar(b);
  const out = call("where", cond.handle, ta.handle, tb.handle);
  out._owned = [ta, tb].filter((t, i) => t !== [a, b][i]);
  return record(
    out,
    [ta, tb],
    [(g) => unbroadcast(g.mul(cond.ne(0)), ta.shape), (g) => unbroadcast(g.mul(cond.eq(0)), tb.shape)],
  );
}

/**
 * `x` with `value` wherever `mask` is non-zero (mask broadcasts): value may be ±Infinity, as in
 * attention masks. The gradient flows to the cells of `x` that were kept.
 * @example maskedFill(scores, causal.eq(0), -Infinity).softmax(-1)
 */
export function maskedFill(x, mask, value) {
  return where(mask, value, x);
}

/** One-hot rows: labels [n] → [n, depth] of 0/1. */
export function oneHot(labels, depth) {
  const l = labels instanceof Tensor ? labels : tensor(labels);
  const ls = known(l);
  const out = shaped(ls === null ? null : [...ls, depth], "oneHot", l.handle, depth);
  if (!(labels instanceof Tensor)) l.dispose();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Creation

/**
 * A tensor from a number, nested arrays, or flat values with a shape.
 * @example tensor([[1, 2], [3, 4]]); tensor([1, 2, 3, 4], [2, 2])
 */
export function tensor(values, shape, dtype = "float32") {
  if (values instanceof Tensor) return values.clone();
  let flat;
  let inferred = [];
  if (ArrayBuffer.isView(values)) flat = Float32Array.from(/** @type {Float32Array} */ (values));
  else {
    const out = [];
    flatten(values, inferred, out);
    flat = Float32Array.from(out);
  }
  const s = shape === undefined ? inferred : shapeArg(shape, "tensor");
  return wrap(kernelCall("tensor", [flat.buffer, s, dtype]), s);
}

/** A tensor filled with `value`. */
export function full(shape, value) {
  const s = shapeArg(shape, "full");
  if (typeof value !== "number")
    throw new TypeError(`full(shape, value): value must be a number, got ${typeof value}`);
  return wrap(constant(s, value), s);
}

/** A tensor of zeros. */
export function zeros(shape) {
  return full(shape, 0);
}

/** A tensor of ones. */
export function ones(shape) {
  return full(shape, 1);
}

/** Zeros with the shape of x. */
export function zerosLike(x) {
  return zeros(x.shape);
}

/** Ones with the shape of x. */
export function onesLike(x) {
  return ones(x.shape);
}

/** The n × n identity matrix. */
export function eye(n) {
  const values = new Float32Array(n * n);
  for (let i = 0; i < n; i++) values[i * n + i] = 1;
  return tensor(values, [n, n]);
}

/** arange(stop) or arange(start, stop, step = 1): evenly spaced values, stop excluded. */
export function arange(start, stop, step = 1) {
  if (stop === undefined) [start, stop] = [0, start];
  return new Tensor(kernelCall("arange", [start, stop, step]));
}

/** Standard normal samples (seeded by the run's stream). */
export function randn(shape) {
  const s = shapeArg(shape, "randn");
  return wrap(kernelCall("randn", [s, nextSeed()]), s);
}

/** Uniform samples in [low, high), default [0, 1). */
export function rand(shape, low = 0, high = 1) {
  const s = shapeArg(shape, "rand");
  return wrap(kernelCall("rand", [s, low, high, nextSeed()]), s);
}

/** Uniform integers in [low, high) (as float values, usable as labels or indices). */
export function randint(low, high, shape) {
  const s = shapeArg(shape, "randint");
  return wrap(kernelCall("randint", [s, low, high, nextSeed()]), s);
}

/** The tfjs backend computing the tensors: "wasm", "webgl", "webgpu" or "cpu". */
export function backend() {
  return kernelCall("backend", []);
}

/** Whether a value is a Tensor. */
export function isTensor(x) {
  return x instanceof Tensor;
}
