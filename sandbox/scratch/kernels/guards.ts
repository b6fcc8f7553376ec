/**
 * Host-side argument guards of the scratch kernels, one per kernel name, run by the bridge before
 * the kernel touches tfjs: every index and range (slice begin/size, gather and scatter indices —
 * including the values of index tensors —, axes, pads, permutations, reshape sizes) is checked,
 * every size is an int32, and the bytes the call will allocate (its result, temporaries and
 * readback copies) are computed so the bridge can hold them against the run's tensor quota before
 * anything is allocated. tfjs's wasm kernels trust their arguments: an unchecked size reads freed
 * memory, an unchecked index writes outside its tensor, an unchecked shape aborts the instance.
 *
 * A kernel in the table without a guard here cannot be called ({@link withGuards}); a test walks the
 * table and names any kernel missing one.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { KernelArgumentError } from "../../kernel/argument-error.js";
import type { Kernel, KernelArg, KernelTable } from "../../kernel/types.js";
import { TABLES, TEXTS } from "./data.js";
import { parseAttrs, type OracleAttrs } from "./oracle.js";

/** The largest size (of an axis, or elements of a tensor) a kernel may be asked for. */
export const MAX_INT32 = 2 ** 31 - 1;
/** Digits in the `mnist` package's set (dataMnist draws from them). */
const MNIST_DIGITS = 10_000;
/** Most elements of an arange (the kernel's own bound). */
const MAX_RANGE = 1e8;
/** Most tensors one call may return (split, unstack): the bridge's limit on a list of handles. */
export const MAX_OUTPUTS = 4096;
/** Bytes per element the guards assume (float32 and int32; bool takes less). */
const BYTES = 4;

type Shape = readonly number[];

const fmt = (shape: Shape) => `[${shape.join(",")}]`;

function isTensor(v: KernelArg): v is tf.Tensor {
  return typeof v === "object" && v !== null && !Array.isArray(v) && "shape" in v && "dtype" in v;
}

/** The converted arguments of one call, read by position; failures name the scratch operation. */
export class GuardArgs {
  constructor(
    readonly op: string,
    private readonly values: readonly KernelArg[],
  ) {}

  fail(message: string): never {
    throw new KernelArgumentError(`${this.op}: ${message}`);
  }

  private at(i: number): KernelArg {
    return this.values[i];
  }

  /** A mismatch between a guard and its kernel's declared kinds is a bug, not a guest error. */
  private wrong(i: number, kind: string): never {
    throw new TypeError(`guard of ${this.op}: argument ${i + 1} is not ${kind}`);
  }

  tensor(i: number): tf.Tensor {
    const v = this.at(i);
    return isTensor(v) ? v : this.wrong(i, "a tensor");
  }

  tensors(i: number): tf.Tensor[] {
    const v = this.at(i);
    return Array.isArray(v) && v.every((t) => isTensor(t as KernelArg))
      ? (v as tf.Tensor[])
      : this.wrong(i, "tensors");
  }

  number(i: number): number {
    const v = this.at(i);
    return typeof v === "number" ? v : this.wrong(i, "a number");
  }

  ints(i: number): number[] {
    const v = this.at(i);
    return Array.isArray(v) && v.every((n) => typeof n === "number")
      ? (v as number[])
      : this.wrong(i, "ints");
  }

  optionalInts(i: number): number[] | undefined {
    return this.at(i) === undefined ? undefined : this.ints(i);
  }

  bool(i: number): boolean {
    const v = this.at(i);
    return typeof v === "boolean" ? v : this.wrong(i, "a boolean");
  }

  data(i: number): Float32Array {
    const v = this.at(i);
    return v instanceof Float32Array ? v : this.wrong(i, "data");
  }

  string(i: number): string {
    const v = this.at(i);
    return typeof v === "string" ? v : this.wrong(i, "a string");
  }

  /** Elements of `shape` (validated: integer axes in 0..int32, at most int32 elements in all). */
  size(shape: Shape, what = "shape"): number {
    let n = 1;
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0 || d > MAX_INT32) {
        this.fail(
          `${what} ${fmt(shape)} has an axis of size ${d} (sizes are integers from 0 to ${MAX_INT32})`,
        );
      }
      n *= d;
    }
    if (n > MAX_INT32) this.fail(`${what} ${fmt(shape)} has ${n} elements, more than ${MAX_INT32}`);
    return n;
  }

  /** A (possibly negative) axis of a tensor of `rank`, normalised. */
  axis(axis: number, rank: number, shape?: Shape): number {
    const a = axis < 0 ? axis + rank : axis;
    if (!Number.isInteger(a) || a < 0 || a >= rank) {
      this.fail(`axis ${axis} is out of range for rank ${rank}${shape ? ` (shape ${fmt(shape)})` : ""}`);
    }
    return a;
  }

  /** Distinct axes of a tensor of `rank`. */
  axes(axes: readonly number[] | undefined, shape: Shape): void {
    if (axes === undefined) return;
    const seen = new Set<number>();
    for (const axis of axes) {
      const a = this.axis(axis, shape.length, shape);
      if (seen.has(a)) this.fail(`axis ${axis} is listed twice (shape ${fmt(shape)})`);
      seen.add(a);
    }
  }

  /** NumPy broadcasting of two shapes. */
  broadcast(a: Shape, b: Shape): number[] {
    const rank = Math.max(a.length, b.length);
    const out: number[] = [];
    for (let i = 0; i < rank; i++) {
      const x = a[a.length - rank + i] ?? 1;
      const y = b[b.length - rank + i] ?? 1;
      if (x !== y && x !== 1 && y !== 1)
        this.fail(`shapes ${fmt(a)} and ${fmt(b)} cannot be broadcast together`);
      out.push(x === 1 ? y : x);
    }
    this.size(out, "broadcast shape");
    return out;
  }

  /** Whether `from` broadcasts to `to` (used for broadcastTo and gradients). */
  broadcastsTo(from: Shape, to: Shape, what: string): void {
    if (from.length > to.length) this.fail(`${what} ${fmt(from)} cannot be broadcast to ${fmt(to)}`);
    for (let i = 0; i < from.length; i++) {
      const f = from[i] as number;
      const t = to[to.length - from.length + i] as number;
      if (f !== t && f !== 1) this.fail(`${what} ${fmt(from)} cannot be broadcast to ${fmt(to)}`);
    }
  }

  /**
   * Integer indices in [0, length), read from the index tensor (values are truncated like the
   * kernel's cast to int32); `where` describes the indexed axis in the error.
   */
  indices(t: tf.Tensor, length: number, where: string): void {
    const values = t.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!Number.isFinite(v) || Math.trunc(v) < 0 || Math.trunc(v) >= length) {
        this.fail(`index ${v} is out of range for ${where}`);
      }
    }
  }

  /** Two positive integers (stride, kernel size) or, with `min` 0, non-negative ones (padding). */
  pair(values: readonly number[], name: string, min: number): [number, number] {
    const [a, b] = values;
    if (values.length !== 2 || a === undefined || b === undefined)
      this.fail(`${name} must be two integers [height, width]`);
    for (const v of values) {
      if (v < min || v > MAX_INT32) this.fail(`${name} ${fmt(values)} must be integers ≥ ${min}`);
    }
    return [a, b];
  }

  /** A call returning `n` tensors. */
  outputs(n: number): void {
    if (n > MAX_OUTPUTS) this.fail(`would return ${n} tensors, more than ${MAX_OUTPUTS}`);
  }

  rank4(t: Pick<tf.Tensor, "rank" | "shape">, what: string): [number, number, number, number] {
    if (t.rank !== 4)
      this.fail(`${what} must be a 4-D tensor [batch, channels, height, width], got ${fmt(t.shape)}`);
    return t.shape as [number, number, number, number];
  }
}

/** A guard: validates one call and returns the elements it allocates at most. */
type Guard = (a: GuardArgs) => number;

// ---- shape rules shared by kernels and the gradient oracle ----------------------------------

function sliceShape(
  a: GuardArgs,
  shape: Shape,
  begin: readonly number[],
  size: readonly number[] | undefined,
): number[] {
  if (begin.length !== shape.length)
    a.fail(`begin ${fmt(begin)} needs ${shape.length} entries for shape ${fmt(shape)}`);
  const sizes = size ?? shape.map(() => -1);
  if (sizes.length !== shape.length)
    a.fail(`size ${fmt(sizes)} needs ${shape.length} entries for shape ${fmt(shape)}`);
  return shape.map((dim, i) => {
    const b = begin[i] as number;
    const s = sizes[i] as number;
    if (b < 0 || b > dim)
      a.fail(`begin ${b} is out of range for axis ${i} of length ${dim} (shape ${fmt(shape)})`);
    if (s === -1) return dim - b;
    if (s < 0) a.fail(`size ${s} on axis ${i} must be ≥ 0 or -1 (shape ${fmt(shape)})`);
    if (b + s > dim)
      a.fail(`begin ${b} + size ${s} exceeds axis ${i} of length ${dim} (shape ${fmt(shape)})`);
    return s;
  });
}

function reshapeSize(a: GuardArgs, x: tf.Tensor, shape: readonly number[]): void {
  const inferred = shape.filter((d) => d === -1).length;
  if (inferred > 1) a.fail(`shape ${fmt(shape)} may infer (-1) at most one axis`);
  const known = shape.filter((d) => d !== -1);
  const n = a.size(known, "shape");
  if (inferred === 0 ? n !== x.size : n === 0 || x.size % n !== 0) {
    a.fail(`cannot reshape shape ${fmt(x.shape)} (${x.size} elements) to ${fmt(shape)}`);
  }
}

function permutation(a: GuardArgs, x: tf.Tensor, perm: readonly number[] | undefined): void {
  if (perm === undefined) return;
  const sorted = [...perm].sort((p, q) => p - q);
  if (perm.length !== x.rank || sorted.some((p, i) => p !== i)) {
    a.fail(`${fmt(perm)} is not a permutation of the axes of shape ${fmt(x.shape)}`);
  }
}

function concatShape(a: GuardArgs, xs: readonly tf.Tensor[], axis: number): number[] {
  const first = xs[0];
  if (first === undefined) a.fail("needs at least one tensor");
  const ax = a.axis(axis, first.rank, first.shape);
  let along = 0;
  for (const x of xs) {
    if (x.rank !== first.rank || x.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      a.fail(`shapes ${fmt(first.shape)} and ${fmt(x.shape)} differ outside axis ${ax}`);
    }
    along += x.shape[ax] as number;
  }
  const shape = first.shape.map((d, i) => (i === ax ? along : d));
  a.size(shape, "result");
  return shape;
}

function stackShape(a: GuardArgs, xs: readonly tf.Tensor[], axis: number): number[] {
  const first = xs[0];
  if (first === undefined) a.fail("needs at least one tensor");
  const ax = a.axis(axis, first.rank + 1, first.shape);
  for (const x of xs) {
    if (x.rank !== first.rank || x.shape.some((d, i) => d !== first.shape[i])) {
      a.fail(`shapes ${fmt(first.shape)} and ${fmt(x.shape)} differ`);
    }
  }
  const shape = [...first.shape.slice(0, ax), xs.length, ...first.shape.slice(ax)];
  a.size(shape, "result");
  return shape;
}

function matmulSize(a: GuardArgs, x: tf.Tensor, y: tf.Tensor, ta: boolean, tb: boolean): number {
  if (x.rank < 2 || y.rank < 2) a.fail(`needs tensors of rank ≥ 2, got ${fmt(x.shape)} and ${fmt(y.shape)}`);
  const [r1, c1] = x.shape.slice(-2) as [number, number];
  const [r2, c2] = y.shape.slice(-2) as [number, number];
  const [m, k1] = ta ? [c1, r1] : [r1, c1];
  const [k2, n] = tb ? [c2, r2] : [r2, c2];
  if (k1 !== k2) a.fail(`inner sizes ${k1} and ${k2} of shapes ${fmt(x.shape)} and ${fmt(y.shape)} differ`);
  const batch = a.broadcast(x.shape.slice(0, -2), y.shape.slice(0, -2));
  const out = a.size([...batch, m, n], "result");
  // Batch broadcasting materialises both operands at the batch shape.
  const batchSize = a.size(batch, "batch");
  return (
    out +
    batchSize * (x.shape.slice(-2).reduce((p, q) => p * q, 1) + y.shape.slice(-2).reduce((p, q) => p * q, 1))
  );
}

interface ConvShapes {
  out: [number, number, number, number];
  /** Elements of the padded input. */
  padded: number;
}

/** conv2d in NCHW: x [n, c, h, w], filter [o, c, kh, kw]. */
function convShapes(
  a: GuardArgs,
  x: Shape,
  w: Shape,
  stride: [number, number],
  pad: [number, number],
): ConvShapes {
  const [n, c, h, wd] = x as [number, number, number, number];
  const [o, i, kh, kw] = w as [number, number, number, number];
  if (i !== c) a.fail(`input ${fmt(x)} has ${c} channels, the weight ${fmt(w)} expects ${i}`);
  const hp = h + 2 * pad[0];
  const wp = wd + 2 * pad[1];
  if (kh > hp || kw > wp || kh < 1 || kw < 1) {
    a.fail(
      `kernel ${kh}×${kw} does not fit the padded input ${hp}×${wp} (input ${fmt(x)}, weight ${fmt(w)})`,
    );
  }
  const out: [number, number, number, number] = [
    n,
    o,
    Math.floor((hp - kh) / stride[0]) + 1,
    Math.floor((wp - kw) / stride[1]) + 1,
  ];
  a.size(out, "result");
  return { out, padded: a.size([n, c, hp, wp], "padded input") };
}

/** Pooling output in NCHW (tfjs's own rule for a numeric pad). */
function poolShape(
  a: GuardArgs,
  x: Pick<tf.Tensor, "rank" | "shape">,
  size: [number, number],
  stride: [number, number],
  pad: number,
): number[] {
  const [n, c, h, w] = a.rank4(x, "input");
  if (!Number.isInteger(pad) || pad < 0 || pad > MAX_INT32) a.fail(`padding ${pad} must be an integer ≥ 0`);
  if (size[0] > h + 2 * pad || size[1] > w + 2 * pad) {
    a.fail(
      `kernel ${size[0]}×${size[1]} does not fit the padded input of shape ${fmt(x.shape)} (padding ${pad})`,
    );
  }
  // Per axis: ⌊(size + 2·padding − kernel) / stride⌋ + 1 (tfjs's numeric-pad rule uses the
  // height's kernel and stride for both axes).
  const oh = Math.floor((h + 2 * pad - size[0]) / stride[0]) + 1;
  const ow = Math.floor((w + 2 * pad - size[1]) / stride[1]) + 1;
  const out = [n, c, oh, ow];
  if (oh < 1 || ow < 1) a.fail(`gives an empty output for shape ${fmt(x.shape)}`);
  a.size(out, "result");
  return out;
}

function sameShape(a: GuardArgs, x: Shape, y: Shape, what: string): void {
  if (x.length !== y.length || x.some((d, i) => d !== y[i]))
    a.fail(`${what} ${fmt(y)} must have shape ${fmt(x)}`);
}

// ---- the guards -------------------------------------------------------------------------------

const dtypeNames = new Set(["float32", "int32"]);
function dtype(a: GuardArgs, name: string): void {
  if (!dtypeNames.has(name)) a.fail(`unknown dtype "${name}": use "float32" or "int32"`);
}

const binary: Guard = (a) => 2 * a.size(a.broadcast(a.tensor(0).shape, a.tensor(1).shape));
const withNumber: Guard = (a) => 2 * a.tensor(0).size;
const unary: Guard = (a) => a.tensor(0).size;
const reduction: Guard = (a) => {
  const x = a.tensor(0);
  a.axes(a.optionalInts(1), x.shape);
  return 2 * x.size + 1;
};
const randomShape: Guard = (a) => 3 * a.size(a.ints(0));
const softmaxLike: Guard = (a) => {
  const x = a.tensor(0);
  a.axis(a.number(1), x.rank, x.shape);
  return 4 * x.size;
};
const softmaxBackward: Guard = (a) => {
  const y = a.tensor(0);
  sameShape(a, y.shape, a.tensor(1).shape, "dy");
  a.axis(a.number(2), y.rank, y.shape);
  return 4 * y.size;
};

/** x [n, in] and weight [in, out], as the fused linear kernels take them. */
function linear2d(a: GuardArgs, x: tf.Tensor, w: tf.Tensor): void {
  if (x.rank !== 2 || w.rank !== 2 || x.shape[1] !== w.shape[0])
    a.fail(`needs x [n, in] and weight [in, out], got ${fmt(x.shape)} and ${fmt(w.shape)}`);
}

/** crossEntropy(logits [n, classes], labels [n]) and its backward (with a scalar dy). */
function crossEntropyGuard(a: GuardArgs, backward: boolean): number {
  const [logits, labels] = [a.tensor(0), a.tensor(1)];
  if (logits.rank !== 2) a.fail(`logits must be [batch, classes], got ${fmt(logits.shape)}`);
  const [n, classes] = logits.shape as [number, number];
  if (classes < 2) a.fail(`needs at least 2 classes, got logits ${fmt(logits.shape)}`);
  if (labels.rank !== 1 || labels.shape[0] !== n)
    a.fail(`labels must be [${n}] for logits ${fmt(logits.shape)}, got ${fmt(labels.shape)}`);
  if (backward && a.tensor(2).shape.length !== 0)
    a.fail(`dy must be a scalar, got ${fmt(a.tensor(2).shape)}`);
  a.indices(labels, classes, `${classes} classes`);
  return 6 * logits.size + labels.size;
}

/** The n of square matrices [..., n, n] (the linear-algebra kernels). */
function squareMatrices(a: GuardArgs, t: tf.Tensor): number {
  const n = t.shape[t.rank - 1] ?? -1;
  if (t.rank < 2 || t.shape[t.rank - 2] !== n) {
    a.fail(`expects square matrices [..., n, n], got ${fmt(t.shape)}`);
  }
  return n;
}
/** solve(A, b) and triangularSolve: float64 copies of both broadcast operands and the result. */
const linearSolve: Guard = (a) => {
  const A = a.tensor(0);
  const B = a.tensor(1);
  const n = squareMatrices(a, A);
  const m = B.shape[B.rank - 1] ?? 0;
  if (B.rank < 2 || B.shape[B.rank - 2] !== n) {
    a.fail(`the right-hand side must be [..., ${n}, k], got ${fmt(B.shape)}`);
  }
  const count = a.size(a.broadcast(A.shape.slice(0, -2), B.shape.slice(0, -2)));
  return 2 * a.size([count, n, n]) + 5 * a.size([count, n, m]);
};

const KERNEL_GUARDS: Readonly<Record<string, Guard>> = {
  // creation
  tensor: (a) => {
    const shape = a.ints(1);
    const n = a.size(shape);
    const values = a.data(0).length;
    if (values !== n) a.fail(`${values} values do not fit shape [${shape.join(", ")}]`);
    dtype(a, a.string(2));
    return 3 * n;
  },
  fill: (a) => {
    dtype(a, a.string(2));
    return a.size(a.ints(0));
  },
  arange: (a) => {
    const [start, stop, step] = [a.number(0), a.number(1), a.number(2)];
    if (step === 0) a.fail("step must not be 0");
    // tfjs counts |⌈(stop − start) / step⌉| elements, except for a step pointing away from stop.
    const away = (start < stop && step < 0) || (stop < start && step > 1);
    const n = away ? 0 : Math.abs(Math.ceil((stop - start) / step));
    if (n > MAX_RANGE) a.fail(`${start} to ${stop} by ${step} has ${n} elements, more than ${MAX_RANGE}`);
    return n;
  },
  randn: randomShape,
  rand: randomShape,
  randint: randomShape,
  clone: unary,
  cast: (a) => {
    dtype(a, a.string(1));
    return a.tensor(0).size;
  },
  oneHot: (a) => {
    const labels = a.tensor(0);
    const depth = a.number(1);
    if (depth < 1 || depth > MAX_INT32) a.fail(`depth ${depth} must be between 1 and ${MAX_INT32}`);
    const n = a.size([...labels.shape, depth], "result");
    a.indices(labels, depth, `depth ${depth}`);
    return 3 * n + labels.size;
  },
  backend: () => 0,
  /** The backend's copy of the values, a float conversion (int tensors) and the guest's copy. */
  read: (a) => 3 * a.tensor(0).size,

  // elementwise
  add: binary,
  sub: binary,
  mul: binary,
  div: binary,
  pow: binary,
  maximum: binary,
  minimum: binary,
  addNumber: withNumber,
  subNumber: withNumber,
  mulNumber: withNumber,
  divNumber: withNumber,
  powNumber: withNumber,
  maximumNumber: withNumber,
  minimumNumber: withNumber,
  neg: unary,
  exp: unary,
  softplus: (a) => 4 * a.tensor(0).size,
  logSigmoid: (a) => 4 * a.tensor(0).size,
  logSumExp: (a) => reduction(a) + a.tensor(0).size,
  cholesky: (a) => {
    const t = a.tensor(0);
    squareMatrices(a, t);
    return 5 * t.size;
  },
  triangularSolve: (a) => {
    a.bool(2);
    a.bool(3);
    return linearSolve(a);
  },
  solve: linearSolve,
  log: unary,
  sqrt: unary,
  abs: unary,
  sign: unary,
  tanh: unary,
  sigmoid: unary,
  relu: unary,
  sin: unary,
  cos: unary,
  floor: unary,
  round: unary,
  clip: (a) => {
    if (a.number(1) > a.number(2)) a.fail(`low ${a.number(1)} is above high ${a.number(2)}`);
    return a.tensor(0).size;
  },
  eq: binary,
  ne: binary,
  lt: binary,
  le: binary,
  gt: binary,
  ge: binary,
  eqNumber: withNumber,
  neNumber: withNumber,
  ltNumber: withNumber,
  leNumber: withNumber,
  gtNumber: withNumber,
  geNumber: withNumber,
  where: (a) => {
    const shape = a.broadcast(a.broadcast(a.tensor(0).shape, a.tensor(1).shape), a.tensor(2).shape);
    return 5 * a.size(shape);
  },
  reluBackward: (a) => 3 * a.size(a.broadcast(a.tensor(0).shape, a.tensor(1).shape)),
  sigmoidBackward: (a) => 4 * a.size(a.broadcast(a.tensor(0).shape, a.tensor(1).shape)),
  tanhBackward: (a) => 4 * a.size(a.broadcast(a.tensor(0).shape, a.tensor(1).shape)),

  // reduce
  sum: reduction,
  mean: reduction,
  max: reduction,
  min: reduction,
  argmax: (a) => {
    a.axis(a.number(1), a.tensor(0).rank, a.tensor(0).shape);
    return a.tensor(0).size + 1;
  },
  argmin: (a) => {
    a.axis(a.number(1), a.tensor(0).rank, a.tensor(0).shape);
    return a.tensor(0).size + 1;
  },
  sumTo: (a) => {
    const x = a.tensor(0);
    const shape = a.ints(1);
    a.size(shape);
    a.broadcastsTo(shape, x.shape, "target shape");
    return 2 * x.size;
  },
  extremeBackward: (a) => {
    const x = a.tensor(0);
    a.broadcastsTo(a.tensor(1).shape, x.shape, "y");
    a.broadcastsTo(a.tensor(2).shape, x.shape, "dy");
    a.axes(a.optionalInts(3), x.shape);
    return 5 * x.size;
  },

  // movement
  reshape: (a) => {
    reshapeSize(a, a.tensor(0), a.ints(1));
    return a.tensor(0).size;
  },
  transpose: (a) => {
    permutation(a, a.tensor(0), a.optionalInts(1));
    return a.tensor(0).size;
  },
  slice: (a) => a.size(sliceShape(a, a.tensor(0).shape, a.ints(1), a.ints(2)), "result"),
  pad: (a) => {
    const x = a.tensor(0);
    const flat = a.ints(1);
    if (flat.length !== 2 * x.rank)
      a.fail(`needs ${2 * x.rank} amounts for shape ${fmt(x.shape)}, got ${flat.length}`);
    if (flat.some((p) => p < 0)) a.fail(`amounts ${fmt(flat)} must be ≥ 0`);
    return a.size(
      x.shape.map((d, i) => d + (flat[2 * i] as number) + (flat[2 * i + 1] as number)),
      "result",
    );
  },
  concat: (a) => a.size(concatShape(a, a.tensors(0), a.number(1))),
  split: (a) => {
    const x = a.tensor(0);
    const sizes = a.ints(1);
    const axis = a.axis(a.number(2), x.rank, x.shape);
    const dim = x.shape[axis] as number;
    if (sizes.length === 0) a.fail("needs at least one size");
    a.outputs(sizes.length);
    const inferred = sizes.filter((s) => s === -1).length;
    if (inferred > 1 || sizes.some((s) => s < -1)) a.fail(`sizes ${fmt(sizes)} must be ≥ 0 (one may be -1)`);
    const known = sizes.filter((s) => s !== -1).reduce((p, q) => p + q, 0);
    if (inferred === 0 ? known !== dim : known > dim) {
      a.fail(`sizes ${fmt(sizes)} do not add up to axis ${axis} of length ${dim} (shape ${fmt(x.shape)})`);
    }
    return x.size;
  },
  stack: (a) => a.size(stackShape(a, a.tensors(0), a.number(1))),
  unstack: (a) => {
    const x = a.tensor(0);
    a.outputs(x.shape[a.axis(a.number(1), x.rank, x.shape)] as number);
    return x.size;
  },
  gather: (a) => {
    const x = a.tensor(0);
    const indices = a.tensor(1);
    const axis = a.axis(a.number(2), x.rank, x.shape);
    const dim = x.shape[axis] as number;
    const out = a.size([...x.shape.slice(0, axis), ...indices.shape, ...x.shape.slice(axis + 1)], "result");
    a.indices(indices, dim, `axis ${axis} of length ${dim} (shape ${fmt(x.shape)})`);
    return out + 2 * indices.size;
  },
  gatherBackward: (a) => {
    const dy = a.tensor(0);
    const indices = a.tensor(1);
    const shape = a.ints(2);
    const total = a.size(shape);
    const axis = a.axis(a.number(3), shape.length, shape);
    const expected = [...shape.slice(0, axis), ...indices.shape, ...shape.slice(axis + 1)];
    sameShape(a, expected, dy.shape, "dy");
    a.indices(indices, shape[axis] as number, `axis ${axis} of length ${shape[axis]} (shape ${fmt(shape)})`);
    return 3 * total + 2 * dy.size + 2 * indices.size;
  },
  broadcastTo: (a) => {
    const shape = a.ints(1);
    const n = a.size(shape);
    a.broadcastsTo(a.tensor(0).shape, shape, "shape");
    return n;
  },
  tile: (a) => {
    const x = a.tensor(0);
    const reps = a.ints(1);
    if (reps.length !== x.rank)
      a.fail(`needs ${x.rank} repetitions for shape ${fmt(x.shape)}, got ${reps.length}`);
    return a.size(
      x.shape.map((d, i) => {
        const r = reps[i] as number;
        if (r < 0) a.fail(`repetitions ${fmt(reps)} must be ≥ 0`);
        return d * r;
      }),
      "result",
    );
  },

  // nn
  matmul: (a) => matmulSize(a, a.tensor(0), a.tensor(1), a.bool(2), a.bool(3)),
  conv2d: (a) => {
    const x = a.tensor(0);
    const w = a.tensor(1);
    const { out, padded } = convShapes(
      a,
      a.rank4(x, "input"),
      a.rank4(w, "weight"),
      a.pair(a.ints(2), "stride", 1),
      a.pair(a.ints(3), "padding", 0),
    );
    return 2 * out.reduce((p, q) => p * q, 1) + x.size + padded + w.size;
  },
  conv2dBackwardInput: (a) => {
    const dy = a.tensor(0);
    const w = a.tensor(1);
    const xShape = a.ints(2);
    if (xShape.length !== 4) a.fail(`input shape ${fmt(xShape)} must have 4 axes`);
    const n = a.size(xShape, "input shape");
    const { out, padded } = convShapes(
      a,
      xShape,
      a.rank4(w, "weight"),
      a.pair(a.ints(3), "stride", 1),
      a.pair(a.ints(4), "padding", 0),
    );
    sameShape(a, out, dy.shape, "dy");
    return 2 * n + padded + 2 * dy.size + w.size;
  },
  conv2dBackwardFilter: (a) => {
    const x = a.tensor(0);
    const dy = a.tensor(1);
    const wShape = a.ints(2);
    if (wShape.length !== 4) a.fail(`weight shape ${fmt(wShape)} must have 4 axes`);
    const nw = a.size(wShape, "weight shape");
    const stride = a.pair(a.ints(3), "stride", 1);
    const { out, padded } = convShapes(
      a,
      a.rank4(x, "input"),
      wShape,
      stride,
      a.pair(a.ints(4), "padding", 0),
    );
    sameShape(a, out, dy.shape, "dy");
    // The filter gradient is a convolution of the padded input with dy, before cropping to kh×kw.
    const [, c, hp, wp] = [0, x.shape[1] as number, ...padDims(x.shape, a.ints(4))];
    const full = a.size(
      [c, hp - (out[2] - 1) * stride[0], wp - (out[3] - 1) * stride[1], out[1]],
      "temporary",
    );
    return 3 * padded + 2 * dy.size + full + 2 * nw;
  },
  maxPool2d: (a) => pool(a, false),
  avgPool2d: (a) => pool(a, false),
  maxPool2dBackward: (a) => pool(a, true),
  conv2dReluMaxPool: (a) => convLayer(a, false),
  conv2dReluMaxPoolBackward: (a) => convLayer(a, true),
  avgPool2dBackward: (a) => pool(a, true),
  softmax: softmaxLike,
  logSoftmax: softmaxLike,
  softmaxBackward,
  logSoftmaxBackward: softmaxBackward,

  // optim
  adamStep: (a) => {
    const p = a.tensor(0);
    for (const [i, name] of [
      [1, "gradient"],
      [2, "m"],
      [3, "v"],
    ] as const) {
      sameShape(a, p.shape, a.tensor(i).shape, name);
    }
    if (a.number(8) < 1) a.fail("t counts steps from 1");
    return 12 * p.size;
  },

  adamSteps: (a) => {
    const list = a.tensors(0);
    if (list.length === 0 || list.length % 4 !== 0)
      a.fail(`expected [p, gradient, m, v] for each parameter, got ${list.length} tensors`);
    let bytes = 0;
    for (let i = 0; i < list.length; i += 4) {
      const p = list[i] as tf.Tensor;
      for (let j = 1; j < 4; j++)
        sameShape(a, p.shape, (list[i + j] as tf.Tensor).shape, `tensor ${i + j + 1}`);
      bytes += 12 * p.size;
    }
    if (a.number(5) < 1) a.fail("t counts steps from 1");
    return bytes;
  },
  sgdSteps: (a) => {
    const list = a.tensors(0);
    const size = a.number(2) > 0 && !a.bool(4) ? 3 : 2;
    if (list.length === 0 || list.length % size !== 0)
      a.fail(
        `expected groups of ${size} tensors (parameter, gradient${size === 3 ? ", buffer" : ""}), got ${list.length}`,
      );
    let bytes = 0;
    for (let i = 0; i < list.length; i += size) {
      const p = list[i] as tf.Tensor;
      for (let j = 1; j < size; j++)
        sameShape(a, p.shape, (list[i + j] as tf.Tensor).shape, `tensor ${i + j + 1}`);
      bytes += 6 * p.size;
    }
    return bytes;
  },

  // fused training kernels
  linear: (a) => {
    const [x, w, b] = [a.tensor(0), a.tensor(1), a.tensor(2)];
    linear2d(a, x, w);
    if (b.rank !== 1 || b.shape[0] !== w.shape[1])
      a.fail(`bias must be [${w.shape[1]}], got ${fmt(b.shape)}`);
    return 2 * matmulSize(a, x, w, false, false);
  },
  linearBackward: (a) => {
    const [x, w, dy] = [a.tensor(0), a.tensor(1), a.tensor(2)];
    linear2d(a, x, w);
    sameShape(a, [x.shape[0] as number, w.shape[1] as number], dy.shape, "dy");
    return matmulSize(a, dy, w, false, true) + matmulSize(a, x, dy, true, false) + 2 * dy.size;
  },
  linearRelu: (a) => {
    const [x, w, b] = [a.tensor(0), a.tensor(1), a.tensor(2)];
    linear2d(a, x, w);
    if (b.rank !== 1 || b.shape[0] !== w.shape[1])
      a.fail(`bias must be [${w.shape[1]}], got ${fmt(b.shape)}`);
    return 3 * matmulSize(a, x, w, false, false);
  },
  linearReluBackward: (a) => {
    const [x, w, pre, dy] = [a.tensor(0), a.tensor(1), a.tensor(2), a.tensor(3)];
    linear2d(a, x, w);
    const shape = [x.shape[0] as number, w.shape[1] as number];
    sameShape(a, shape, pre.shape, "pre-activation");
    sameShape(a, shape, dy.shape, "dy");
    return matmulSize(a, dy, w, false, true) + matmulSize(a, x, dy, true, false) + 4 * dy.size;
  },
  crossEntropy: (a) => crossEntropyGuard(a, false),
  crossEntropyBackward: (a) => crossEntropyGuard(a, true),

  // data
  dataMnist: (a) => {
    const n = a.number(0);
    if (n < 1 || n > MNIST_DIGITS) a.fail(`n must be between 1 and ${MNIST_DIGITS}, got ${n}`);
    return 3 * n * 785;
  },
  dataTable: (a) => {
    const name = a.string(0);
    if (!TABLES.includes(name)) a.fail(`unknown table "${name}"; known: ${TABLES.join(", ")}`);
    return 0;
  },
  dataText: (a) => {
    const name = a.string(0);
    if (!TEXTS.includes(name)) a.fail(`unknown text "${name}"; known: ${TEXTS.join(", ")}`);
    return 0;
  },

  // oracle
  oracleForward: (a) => {
    const inputs = a.tensors(1);
    return 4 * (a.size(oracle(a, a.string(0), inputs, a.string(2))) + elements(inputs));
  },
  oracleGrads: (a) => {
    const inputs = a.tensors(1);
    const out = oracle(a, a.string(0), inputs, a.string(3));
    sameShape(a, out, a.tensor(2).shape, "dy");
    return 8 * (a.size(out) + elements(inputs));
  },
};

/** The padded height and width of an NCHW shape. */
function padDims(shape: Shape, pad: readonly number[]): [number, number] {
  return [(shape[2] as number) + 2 * (pad[0] as number), (shape[3] as number) + 2 * (pad[1] as number)];
}

/**
 * conv2dReluMaxPool (forward) and its backward: x [n, c, h, w] (NCHW forward; the saved NHWC
 * input backward), weight [o, c, kh, kw], the convolution's stride and padding, the pooling's
 * size, stride and padding; forward also a bias [o], backward the saved NHWC pre-activation, ReLU
 * output and pooled output and dy [NCHW].
 */
function convLayer(a: GuardArgs, backward: boolean): number {
  const x = a.tensor(0);
  const w = a.tensor(1);
  const at = backward ? 6 : 3;
  const stride = a.pair(a.ints(at), "stride", 1);
  const pad = a.pair(a.ints(at + 1), "padding", 0);
  const [n, c, h, wd] = backward
    ? (([bn, bh, bw, bc]) => [bn, bc, bh, bw])(a.rank4(x, "input"))
    : a.rank4(x, "input");
  const { out, padded } = convShapes(a, [n, c, h, wd], a.rank4(w, "weight"), stride, pad);
  const poolPad = a.number(at + 4);
  const pooled = poolShape(
    a,
    { rank: 4, shape: out },
    a.pair(a.ints(at + 2), "kernel size", 1),
    a.pair(a.ints(at + 3), "stride", 1),
    poolPad,
  );
  const [size, outSize] = [x.size, out.reduce((p, q) => p * q, 1)];
  const poolSize = pooled.reduce((p, q) => p * q, 1);
  const paddedOut = a.size([out[0], out[1], out[2] + 2 * poolPad, out[3] + 2 * poolPad], "padded input");
  if (!backward) {
    const bias = a.tensor(2);
    if (bias.rank !== 1 || bias.shape[0] !== out[1])
      a.fail(`bias must be [${out[1]}], got ${fmt(bias.shape)}`);
    return 2 * size + padded + w.size + 4 * outSize + paddedOut + 2 * poolSize;
  }
  const nhwc = (s: number[]) => [s[0], s[2], s[3], s[1]] as number[];
  sameShape(a, nhwc(out), a.tensor(2).shape, "pre-activation");
  sameShape(a, nhwc(out), a.tensor(3).shape, "relu output");
  sameShape(a, nhwc(pooled), a.tensor(4).shape, "pooled output");
  sameShape(a, pooled, a.tensor(5).shape, "dy");
  // Readbacks and loops (padded input, windows), dpre, then the two convolution gradients.
  const [, , hp, wp] = [0, 0, ...padDims([n, c, h, wd], pad)];
  const full = a.size([c, hp - (out[2] - 1) * stride[0], wp - (out[3] - 1) * stride[1], out[1]], "temporary");
  return 3 * paddedOut + 6 * poolSize + 4 * outSize + 2 * size + 3 * padded + full + 3 * w.size + out[1];
}

function pool(a: GuardArgs, backward: boolean): number {
  const dy = backward ? a.tensor(0) : undefined;
  const x = a.tensor(backward ? 1 : 0);
  const base = backward ? 2 : 1;
  const out = poolShape(
    a,
    x,
    a.pair(a.ints(base), "kernel size", 1),
    a.pair(a.ints(base + 1), "stride", 1),
    a.number(base + 2),
  );
  if (dy) sameShape(a, out, dy.shape, "dy");
  const n = out.reduce((p, q) => p * q, 1);
  return 4 * x.size + 3 * n;
}

const elements = (ts: readonly tf.Tensor[]) => ts.reduce((n, t) => n + t.size, 0);

/** Validates a reference op's inputs and attributes like the kernel of the same name; returns its output shape. */
function oracle(a: GuardArgs, op: string, inputs: readonly tf.Tensor[], json: string): number[] {
  let attrs: OracleAttrs;
  try {
    attrs = parseAttrs(json);
  } catch (err) {
    return a.fail(err instanceof Error ? err.message : "bad attributes");
  }
  const input = (i: number): tf.Tensor => inputs[i] ?? a.fail(`reference op "${op}" needs input ${i + 1}`);
  const shape = (s: number[]) => {
    a.size(s, "result");
    return s;
  };
  const x = input(0);
  const axisList = typeof attrs.axis === "number" ? [attrs.axis] : attrs.axis;
  const reduced = () => {
    a.axes(axisList, x.shape);
    const axes = new Set((axisList ?? x.shape.map((_, i) => i)).map((ax) => a.axis(ax, x.rank)));
    return shape(x.shape.flatMap((d, i) => (axes.has(i) ? (attrs.keepDims ? [1] : []) : [d])));
  };
  const broadcastAll = (n: number) => {
    let s: number[] = [...x.shape];
    for (let i = 1; i < n; i++) s = a.broadcast(s, input(i).shape);
    return shape(s);
  };
  const [size2, stride2, pad2] = [attrs.kernelSize, attrs.stride, attrs.padding];
  switch (op) {
    case "add":
    case "sub":
    case "mul":
    case "div":
    case "pow":
    case "maximum":
    case "minimum":
      return broadcastAll(2);
    case "where":
      return broadcastAll(3);
    case "linear":
      input(2);
      matmulSize(a, x, input(1), false, false);
      return shape(a.broadcast([...x.shape.slice(0, -1), input(1).shape.at(-1) ?? 0], input(2).shape));
    case "matmul": {
      matmulSize(a, x, input(1), false, false);
      const y = input(1);
      return shape([
        ...a.broadcast(x.shape.slice(0, -2), y.shape.slice(0, -2)),
        x.shape.at(-2) ?? 0,
        y.shape.at(-1) ?? 0,
      ]);
    }
    case "sum":
    case "mean":
    case "max":
    case "min":
      return reduced();
    case "logsumexp": {
      // Its reference reduces the last axis when none is given.
      const ax = a.axis(
        typeof attrs.axis === "number" ? attrs.axis : (attrs.axis?.[0] ?? -1),
        x.rank,
        x.shape,
      );
      if (Array.isArray(attrs.axis) && attrs.axis.length > 1) return reduced();
      return shape(x.shape.flatMap((d, i) => (i === ax ? (attrs.keepDims ? [1] : []) : [d])));
    }
    case "softmax":
    case "logSoftmax":
      a.axis(typeof attrs.axis === "number" ? attrs.axis : -1, x.rank, x.shape);
      return shape([...x.shape]);
    case "layerNorm":
      if (x.rank < 1) a.fail("needs a tensor of rank ≥ 1");
      return shape(a.broadcast(a.broadcast(x.shape, input(1).shape), input(2).shape));
    case "reshape": {
      const target = attrs.shape ?? [-1];
      reshapeSize(a, x, target);
      return shape(
        target.includes(-1)
          ? target.map((d) =>
              d === -1
                ? x.size /
                  Math.max(
                    1,
                    target.filter((e) => e !== -1).reduce((p, q) => p * q, 1),
                  )
                : d,
            )
          : target,
      );
    }
    case "transpose":
      permutation(a, x, attrs.perm);
      return shape((attrs.perm ?? x.shape.map((_, i) => x.rank - 1 - i)).map((p) => x.shape[p] as number));
    case "slice":
      return shape(sliceShape(a, x.shape, attrs.begin ?? [], attrs.size));
    case "concat":
      return shape(concatShape(a, inputs, typeof attrs.axis === "number" ? attrs.axis : 0));
    case "stack":
      return shape(stackShape(a, inputs, typeof attrs.axis === "number" ? attrs.axis : 0));
    case "gather": {
      const axis = a.axis(typeof attrs.axis === "number" ? attrs.axis : 0, x.rank, x.shape);
      const idx = input(1);
      a.indices(
        idx,
        x.shape[axis] as number,
        `axis ${axis} of length ${x.shape[axis]} (shape ${fmt(x.shape)})`,
      );
      return shape([...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)]);
    }
    case "conv2d": {
      const s = stride2 ?? [1];
      const p = pad2 ?? [0];
      const { out } = convShapes(
        a,
        a.rank4(x, "input"),
        a.rank4(input(1), "weight"),
        a.pair([s[0] ?? 1, s[1] ?? s[0] ?? 1], "stride", 1),
        a.pair([p[0] ?? 0, p[1] ?? p[0] ?? 0], "padding", 0),
      );
      return shape(out);
    }
    case "maxPool2d":
    case "avgPool2d": {
      const k = size2 ?? [2];
      const kernelSize = a.pair([k[0] ?? 2, k[1] ?? k[0] ?? 2], "kernel size", 1);
      const s = stride2 ?? [kernelSize[0]];
      return shape(
        poolShape(a, x, kernelSize, a.pair([s[0] ?? 1, s[1] ?? s[0] ?? 1], "stride", 1), pad2?.[0] ?? 0),
      );
    }
    case "mseLoss":
    case "bce":
    case "bceWithLogits":
      a.broadcast(x.shape, input(1).shape);
      return shape([]);
    case "crossEntropy": {
      if (x.rank !== 2) a.fail(`logits must be [batch, classes], got ${fmt(x.shape)}`);
      const depth = x.shape[1] as number;
      a.indices(input(1), depth, `${depth} classes`);
      return shape([]);
    }
    case "neg":
    case "exp":
    case "log":
    case "sqrt":
    case "abs":
    case "tanh":
    case "sigmoid":
    case "relu":
    case "softplus":
    case "logSigmoid":
    case "sin":
    case "cos":
    case "clip":
      return shape([...x.shape]);
    default:
      return a.fail(`no reference op "${op}"`);
  }
}

/** The guard table: kernel name → guard. */
export const guards: Readonly<Record<string, Guard>> = KERNEL_GUARDS;

/**
 * Attaches its guard to every kernel of `table` (as `Kernel.guard`, returning bytes). A kernel
 * without a guard gets one that refuses every call, so an unguarded kernel never reaches tfjs.
 */
export function withGuards(table: KernelTable): KernelTable {
  const out: Record<string, Kernel> = {};
  for (const [name, k] of Object.entries(table)) {
    const g = Object.hasOwn(guards, name) ? guards[name] : undefined;
    out[name] = {
      ...k,
      guard: (...args) => {
        if (g === undefined) throw new KernelArgumentError(`${name}: this kernel has no argument guard`);
        return BYTES * g(new GuardArgs(name, args));
      },
    };
  }
  return out;
}
