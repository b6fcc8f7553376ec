// @ts-check
/**
 * Neural-network layers and losses, built only from `scratch/tensor` ops — so autograd
 * differentiates them like any attendee code. Layouts follow PyTorch (NCHW images, Conv2d weight
 * [out, in, kh, kw]) except Linear, whose weight is [in, out] so that forward reads `x @ W + b`.
 *
 * @example
 * const model = new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Linear(16, 3));
 * const loss = nn.crossEntropy(model.forward(x), y);
 */
import { kernelCall } from "scratch/_host";
import { noGrad, record, recordFused } from "scratch/autograd";
import { conv2d, ones, rand, randn, tensor, tidy, wrap, zeros, Tensor } from "scratch/tensor";

/**
 * Records a fused op whose one kernel gives the gradients of all its inputs: `jointGrad(g, needs)`
 * (see autograd's recordFused), making no tensor but those it returns; the host records the
 * forward kernel's call too and may walk back through it itself.
 */
const recordJoint = recordFused;

/** A tensor from a host kernel whose output shape the caller knows (an array of the library's). */
function fromKernel(op, args, shape) {
  return wrap(/** @type {number} */ (kernelCall(op, args)), shape, op);
}

/**
 * y = x @ weight + bias for x [n, in] as one host kernel — followed by relu when `relu` (a Linear
 * then a ReLU in a Sequential) — and its backward (dx, dweight, dbias) as one more: what the
 * layers compute op by op (matmul, add, relu), bit for bit, in two host calls instead of five to
 * eight.
 */
function linear(x, weight, bias, relu = false) {
  // (Indexing, not destructuring, here and below: QuickJS runs the iterator protocol for that.)
  const shape = Object.freeze([x.shape[0], weight.shape[1]]);
  const args = [x.handle, weight.handle, bias.handle];
  let y;
  let pre = null;
  if (relu) {
    const handles = /** @type {number[]} */ (kernelCall("linearRelu", args));
    y = wrap(handles[0], shape, "linearRelu");
    // The pre-activation (for the backward) lives and dies with y.
    pre = wrap(handles[1], shape).keep();
    y._owned = [pre];
  } else y = fromKernel("linear", args, shape);
  return recordJoint(y, [x, weight, bias], (g, needs) => {
    const handles = /** @type {number[]} */ (
      pre === null
        ? kernelCall("linearBackward", [x.handle, weight.handle, g.handle, needs[0], needs[2]])
        : kernelCall("linearReluBackward", [
            x.handle,
            weight.handle,
            pre.handle,
            g.handle,
            needs[0],
            needs[2],
          ])
    );
    // The kernel returns dx (if needs[0]), dweight, then dbias (if needs[2]).
    let k = 0;
    const dx = needs[0] ? wrap(handles[k++], x.shape) : undefined;
    const dweight = wrap(handles[k++], weight.shape);
    const dbias = needs[2] ? wrap(handles[k], bias.shape) : undefined;
    if (!needs[1]) dweight.dispose();
    return [dx, needs[1] ? dweight : undefined, dbias];
  });
}

/** Whether linear() takes these operands: a 2-D x whose width matches weight [in, out] and bias [out]. */
function fusable(x, weight, bias) {
  if (!(x instanceof Tensor) || bias === null || x.ndim !== 2) return false;
  const w = weight.shape;
  return w.length === 2 && x.shape[1] === w[0] && bias.ndim === 1 && bias.shape[0] === w[1];
}

const pairOf = (v) => (Array.isArray(v) ? v : [v, v]);

/**
 * The fused layer's output shapes when conv (a Conv2d with a bias) then pool (a MaxPool2d) take x
 * as the op-by-op kernels would (integer settings, the kernels fit, pooling padding at most half
 * the kernel): [convolution output, pooled output]; null otherwise (the op-by-op path then runs,
 * with its own errors).
 * @returns {[number[], number[]] | null}
 */
function convLayerShapes(x, conv, pool) {
  const { weight, bias } = conv;
  if (!(x instanceof Tensor) || x.ndim !== 4 || bias === null || weight.ndim !== 4) return null;
  const [n, c, h, w] = x.shape;
  const [o, i, kh, kw] = weight.shape;
  const [sh, sw] = pairOf(conv.stride);
  const [ph, pw] = pairOf(conv.padding);
  const [qh, qw] = pairOf(pool.kernelSize);
  const [th, tw] = pairOf(pool.stride);
  const q = pool.padding;
  const ints = [sh, sw, ph, pw, qh, qw, th, tw, q];
  if (!ints.every((v) => Number.isInteger(v) && v >= 0) || Math.min(sh, sw, qh, qw, th, tw) < 1) return null;
  if (i !== c || bias.ndim !== 1 || bias.shape[0] !== o || 2 * q > Math.min(qh, qw)) return null;
  const oh = Math.floor((h + 2 * ph - kh) / sh) + 1;
  const ow = Math.floor((w + 2 * pw - kw) / sw) + 1;
  const yh = Math.floor((oh + 2 * q - qh) / th) + 1;
  const yw = Math.floor((ow + 2 * q - qw) / tw) + 1;
  if (kh < 1 || kw < 1 || oh < 1 || ow < 1 || yh < 1 || yw < 1 || qh > oh + 2 * q || qw > ow + 2 * q)
    return null;
  return [
    [n, o, oh, ow],
    [n, o, yh, yw],
  ];
}

/**
 * maxPool2d(relu(conv2d(x) + bias)) — a Conv2d, a ReLU and a MaxPool2d in a Sequential — as one
 * host kernel, and its backward (dx, dweight, dbias) as one more: what the layers compute op by op,
 * bit for bit, in two host calls instead of about eleven, without the op-by-op path's layout
 * transposes around every convolution and pooling (the host keeps the layer's intermediate
 * tensors in its own layout for the backward; they live and die with the output).
 */
function convReluMaxPool(x, conv, pool, [convShape, poolShape]) {
  const { weight, bias } = conv;
  const settings = [
    pairOf(conv.stride),
    pairOf(conv.padding),
    pairOf(pool.kernelSize),
    pairOf(pool.stride),
    pool.padding,
  ];
  const handles = /** @type {number[]} */ (
    kernelCall("conv2dReluMaxPool", [x.handle, weight.handle, bias.handle, ...settings])
  );
  const y = wrap(handles[0], poolShape, "conv2dReluMaxPool");
  const nhwc = ([n, c, h, w]) => [n, h, w, c];
  const shapes = [x.shape, convShape, convShape, poolShape].map(nhwc);
  const saved = shapes.map((shape, k) => wrap(handles[k + 1], shape).keep());
  y._owned = saved;
  return recordJoint(y, [x, weight, bias], (g, needs) => {
    const grads = /** @type {number[]} */ (
      kernelCall("conv2dReluMaxPoolBackward", [
        saved[0].handle,
        weight.handle,
        saved[1].handle,
        saved[2].handle,
        saved[3].handle,
        g.handle,
        ...settings,
        needs[0],
        needs[2],
      ])
    );
    const out = [needs[0] && x.shape, weight.shape, needs[2] && bias.shape].map((shape) =>
      shape ? wrap(/** @type {number} */ (grads.shift()), shape) : undefined,
    );
    if (!needs[1]) out[1]?.dispose();
    return out;
  });
}

/**
 * A trainable tensor: kept alive across `tidy()` and tracked by autograd. Library code may create
 * parameters even when a task withholds autograd from attendees (they then never get gradients).
 */
export function parameter(t) {
  t.keep();
  t.tracksGrad = true;
  t._isParameter = true;
  return t;
}

/** Uniform initialisation in ±1/√fanIn, PyTorch's default for Linear and Conv2d. */
function uniformInit(shape, fanIn) {
  const bound = 1 / Math.sqrt(fanIn);
  return parameter(rand(shape, -bound, bound));
}

/** Base class: subclasses set tensors and sub-modules as fields and implement `forward`. */
export class Module {
  constructor() {
    this.training = true;
  }

  /** The module's computation: inputs → outputs. */
  forward() {
    throw new Error(`${this.constructor.name} does not implement forward()`);
  }

  /** Every parameter of this module and its sub-modules (fields, arrays of modules). */
  parameters() {
    const found = [];
    const visit = (value) => {
      if (value instanceof Tensor) {
        if (value._isParameter && !found.includes(value)) found.push(value);
      } else if (value instanceof Module) {
        for (const v of Object.values(value)) visit(v);
      } else if (Array.isArray(value)) value.forEach(visit);
    };
    for (const v of Object.values(this)) visit(v);
    return found;
  }

  /** Training mode (dropout active); returns this. */
  train(on = true) {
    this.training = on;
    for (const v of Object.values(this)) {
      if (v instanceof Module) v.train(on);
      else if (Array.isArray(v)) v.forEach((m) => m instanceof Module && m.train(on));
    }
    return this;
  }

  /** Evaluation mode (dropout off); returns this. */
  eval() {
    return this.train(false);
  }

  /** Clears the gradients of all parameters. */
  zeroGrad() {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /** Frees all parameters. */
  dispose() {
    for (const p of this.parameters()) p.dispose();
  }
}

/**
 * y = x @ weight + bias for x [batch, inFeatures] (or [..., inFeatures]) → [..., outFeatures].
 * Parameters: `weight` [inFeatures, outFeatures] and `bias` [outFeatures] (null with
 * `bias: false`), both uniform in ±1/√inFeatures as in PyTorch. Note the layout: PyTorch stores
 * weight as [out, in] and computes x·Wᵀ; here forward reads x @ W.
 */
export class Linear extends Module {
  constructor(inFeatures, outFeatures, { bias = true } = {}) {
    super();
    this.weight = uniformInit([inFeatures, outFeatures], inFeatures);
    this.bias = bias ? uniformInit([outFeatures], inFeatures) : null;
  }

  forward(x) {
    if (fusable(x, this.weight, this.bias)) return linear(x, this.weight, this.bias);
    const y = x.matmul(this.weight);
    return this.bias === null ? y : y.add(this.bias);
  }
}

/**
 * 2-D convolution over NCHW images: x [batch, inChannels, h, w] → [batch, outChannels, h', w'],
 * h' = ⌊(h + 2·padding − kh) / stride⌋ + 1. Parameters: `weight` [outChannels, inChannels, kh, kw]
 * and `bias` [outChannels] (null with `bias: false`), uniform in ±1/√(inChannels·kh·kw).
 */
export class Conv2d extends Module {
  constructor(inChannels, outChannels, kernelSize, { stride = 1, padding = 0, bias = true } = {}) {
    super();
    const [kh, kw] = Array.isArray(kernelSize) ? kernelSize : [kernelSize, kernelSize];
    const fanIn = inChannels * kh * kw;
    this.weight = uniformInit([outChannels, inChannels, kh, kw], fanIn);
    this.bias = bias ? uniformInit([outChannels], fanIn) : null;
    this.stride = stride;
    this.padding = padding;
  }

  forward(x) {
    const options = { stride: this.stride, padding: this.padding };
    return conv2d(x, this.weight, this.bias === null ? options : { ...options, bias: this.bias });
  }
}

/**
 * Max pooling over kernelSize × kernelSize windows (NCHW), no parameters. Padding counts as −∞
 * (never the maximum); tied maxima share the gradient equally. See `Tensor.maxPool2d`.
 */
export class MaxPool2d extends Module {
  constructor(kernelSize = 2, stride = kernelSize, padding = 0) {
    super();
    this.kernelSize = kernelSize;
    this.stride = stride;
    this.padding = padding;
  }

  forward(x) {
    return x.maxPool2d(this.kernelSize, this.stride, this.padding);
  }
}

/**
 * Average pooling over kernelSize × kernelSize windows (NCHW), no parameters. Padded cells count
 * as zeros and every window divides by kernelSize² (PyTorch's default, count_include_pad=True).
 */
export class AvgPool2d extends Module {
  constructor(kernelSize = 2, stride = kernelSize, padding = 0) {
    super();
    this.kernelSize = kernelSize;
    this.stride = stride;
    this.padding = padding;
  }

  forward(x) {
    return x.avgPool2d(this.kernelSize, this.stride, this.padding);
  }
}

/** [n, …] → [n, product of the rest]. */
export class Flatten extends Module {
  forward(x) {
    return x.flatten(1);
  }
}

/** max(x, 0) as a layer. */
export class ReLU extends Module {
  forward(x) {
    return x.relu();
  }
}

/** tanh as a layer. */
export class Tanh extends Module {
  forward(x) {
    return x.tanh();
  }
}

/** The logistic sigmoid as a layer. */
export class Sigmoid extends Module {
  forward(x) {
    return x.sigmoid();
  }
}

/** Applies modules in order. */
export class Sequential extends Module {
  constructor(...layers) {
    super();
    this.layers = layers;
  }

  forward(x) {
    let h = x;
    for (let i = 0; i < this.layers.length; i++) {
      const layer = this.layers[i];
      const next = this.layers[i + 1];
      // A Linear then a ReLU (neither's forward replaced): one fused kernel, the same numbers.
      if (
        layer instanceof Linear &&
        layer.forward === Linear.prototype.forward &&
        next instanceof ReLU &&
        next.forward === ReLU.prototype.forward &&
        fusable(h, layer.weight, layer.bias)
      ) {
        h = linear(h, layer.weight, layer.bias, true);
        i++;
        continue;
      }
      // A Conv2d, a ReLU and a MaxPool2d (none's forward replaced): one fused kernel, the same numbers.
      const pool = this.layers[i + 2];
      const shapes =
        layer instanceof Conv2d &&
        layer.forward === Conv2d.prototype.forward &&
        next instanceof ReLU &&
        next.forward === ReLU.prototype.forward &&
        pool instanceof MaxPool2d &&
        pool.forward === MaxPool2d.prototype.forward
          ? convLayerShapes(h, layer, pool)
          : null;
      if (shapes !== null) {
        h = convReluMaxPool(h, layer, pool, shapes);
        i += 2;
      } else h = layer.forward(h);
    }
    return h;
  }
}

/** Zeroes each element with probability p while training, scaling the rest by 1/(1−p). */
export class Dropout extends Module {
  constructor(p = 0.5) {
    super();
    if (p < 0 || p >= 1) throw new RangeError("Dropout: p must be in [0, 1)");
    this.p = p;
  }

  forward(x) {
    if (!this.training || this.p === 0) return x;
    const mask = tidy(() =>
      rand(x.shape)
        .ge(this.p)
        .div(1 - this.p),
    );
    return x.mul(mask);
  }
}

/**
 * Normalises the last axis to zero mean and unit (population) variance, then scales and shifts:
 * (x − mean) / √(var + eps) · weight + bias. Parameters: `weight` [features] (ones) and `bias`
 * [features] (zeros).
 */
export class LayerNorm extends Module {
  constructor(features, { eps = 1e-5 } = {}) {
    super();
    this.weight = parameter(ones([features]));
    this.bias = parameter(zeros([features]));
    this.eps = eps;
  }

  forward(x) {
    const centered = x.sub(x.mean(-1, true));
    const variance = centered.pow(2).mean(-1, true);
    return centered.div(variance.add(this.eps).sqrt()).mul(this.weight).add(this.bias);
  }
}

/**
 * A lookup table: integer ids [...] → vectors [..., dim]. Parameter: `weight` [count, dim],
 * standard normal; repeated ids add up their gradients.
 */
export class Embedding extends Module {
  constructor(count, dim) {
    super();
    this.weight = parameter(randn([count, dim]));
  }

  forward(ids) {
    return this.weight.gather(ids, 0);
  }
}

/**
 * Elman RNN cell: h' = tanh(x @ inputWeight + h @ hiddenWeight + bias). Parameters:
 * `inputWeight` [inputSize, hiddenSize], `hiddenWeight` [hiddenSize, hiddenSize], `bias`
 * [hiddenSize], uniform in ±1/√hiddenSize. The default state h is zeros [batch, hiddenSize].
 */
export class RNNCell extends Module {
  constructor(inputSize, hiddenSize) {
    super();
    this.hiddenSize = hiddenSize;
    this.inputWeight = uniformInit([inputSize, hiddenSize], hiddenSize);
    this.hiddenWeight = uniformInit([hiddenSize, hiddenSize], hiddenSize);
    this.bias = uniformInit([hiddenSize], hiddenSize);
  }

  /** x [batch, inputSize], h [batch, hiddenSize] (zeros when omitted) → h'. */
  forward(x, h = zeros([x.shape[0], this.hiddenSize])) {
    return x.matmul(this.inputWeight).add(h.matmul(this.hiddenWeight)).add(this.bias).tanh();
  }
}

/**
 * LSTM cell: gates = x @ inputWeight + h @ hiddenWeight + bias, split along the last axis into four
 * blocks of hiddenSize in the order i (input), f (forget), g (candidate), o (output), as in
 * PyTorch; i = σ(·), f = σ(·), g = tanh(·), o = σ(·); c' = f·c + i·g; h' = o·tanh(c').
 * forward(x [batch, inputSize], [h, c]) returns [h', c'], each [batch, hiddenSize]; the default
 * state is [zeros, zeros]. Parameters: `inputWeight` [inputSize, 4·hiddenSize], `hiddenWeight`
 * [hiddenSize, 4·hiddenSize], `bias` [4·hiddenSize], uniform in ±1/√hiddenSize (one bias, where
 * PyTorch has two that add up).
 */
export class LSTMCell extends Module {
  constructor(inputSize, hiddenSize) {
    super();
    this.hiddenSize = hiddenSize;
    this.inputWeight = uniformInit([inputSize, 4 * hiddenSize], hiddenSize);
    this.hiddenWeight = uniformInit([hiddenSize, 4 * hiddenSize], hiddenSize);
    this.bias = uniformInit([4 * hiddenSize], hiddenSize);
  }

  forward(x, state) {
    const n = x.shape[0];
    const H = this.hiddenSize;
    const [h, c] = state ?? [zeros([n, H]), zeros([n, H])];
    const gates = x.matmul(this.inputWeight).add(h.matmul(this.hiddenWeight)).add(this.bias);
    const gate = (k) => gates.slice([0, k * H], [n, H]);
    const i = gate(0).sigmoid();
    const f = gate(1).sigmoid();
    const g = gate(2).tanh();
    const o = gate(3).sigmoid();
    const c2 = f.mul(c).add(i.mul(g));
    return [o.mul(c2.tanh()), c2];
  }
}

// -- losses -----------------------------------------------------------------------------------

/**
 * Throws when a loss's two operands differ in shape: broadcasting [n, 1] against [n] would compare
 * every prediction with every target and still give a number.
 */
function sameShapes(loss, pred, target) {
  const a = pred.shape;
  const b = target.shape;
  if (a.length === b.length && a.every((d, i) => d === b[i])) return;
  throw new Error(
    `${loss}: predictions [${a}] and targets [${b}] differ in shape; broadcasting would compare ` +
      `every prediction with every target. Reshape one to match (e.g. targets.reshape([${a}]))`,
  );
}

const asTensor = (t) => (t instanceof Tensor ? t : tensor(t));

/** Mean squared error of predictions against targets of the same shape. */
export function mseLoss(pred, target) {
  const y = asTensor(target);
  sameShapes("mseLoss", pred, y);
  return pred.sub(y).pow(2).mean();
}

/**
 * Cross-entropy of logits [n, classes] against integer class labels [n] (a tensor or a list),
 * averaged over the batch: the mean of −log softmax(logits)[label]. Labels that look one-hot
 * ([n, classes] of 0/1) are rejected with a hint.
 */
export function crossEntropy(logits, labels) {
  if (logits.ndim !== 2)
    throw new Error(`crossEntropy: logits must be [batch, classes], got [${logits.shape}]`);
  const logitsShape = logits.shape;
  const n = logitsShape[0];
  const classes = logitsShape[1];
  const shape = labels instanceof Tensor ? labels.shape : [labels.length];
  if (shape.length !== 1 || shape[0] !== n) {
    const oneHotLike = shape.length === 2 && shape[0] === n && shape[1] === classes;
    throw new Error(
      oneHotLike
        ? `crossEntropy: labels [${shape}] look one-hot; pass the class indices [${n}] instead, e.g. labels.argmax(1)`
        : `crossEntropy: labels must be class indices of shape [${n}] for logits [${logits.shape}], got [${shape}]`,
    );
  }
  // −Σ logSoftmax(logits)·oneHot(labels) / n as one host kernel, its gradient as one more: the
  // same ops as logits.logSoftmax(1).mul(oneHot(labels, classes)).sum().div(-n), bit for bit.
  const ids = labels instanceof Tensor ? labels : tensor(labels);
  const handles = /** @type {number[]} */ (kernelCall("crossEntropy", [logits.handle, ids.handle]));
  const loss = wrap(handles[0], [], "crossEntropy");
  // The log softmax (for the backward, which need not compute it again) lives and dies with the loss.
  const y = wrap(handles[1], logitsShape).keep();
  loss._owned = ids !== labels ? [y, ids.keep()] : [y];
  return recordJoint(loss, [logits], (g) => [
    fromKernel("crossEntropyBackward", [y.handle, ids.handle, g.handle], logitsShape),
  ]);
}

/**
 * Binary cross-entropy of probabilities in [0, 1] against 0/1 targets of the same shape:
 * −mean(y·log p + (1 − y)·log(1 − p)), each log clamped at −100 as PyTorch does. The gradient is
 * (p − y) / (p·(1 − p)) / n, with the denominator kept ≥ 1e-12: a saturated wrong prediction
 * (p = 0 for y = 1) still gets a large gradient instead of none. From logits, prefer
 * `bceWithLogits`, which never saturates.
 */
export function bce(probs, targets) {
  const y = asTensor(targets);
  sameShapes("bce", probs, y);
  const value = noGrad(() => {
    const logP = probs.log().maximum(-100);
    const log1mP = probs.neg().add(1).log().maximum(-100);
    return y.mul(logP).add(y.neg().add(1).mul(log1mP)).mean().neg();
  });
  const n = Math.max(probs.size, 1);
  // d/dp of −[y·log p + (1 − y)·log(1 − p)] = (p − y) / (p·(1 − p))
  const local = (g) => g.mul(probs.sub(y).div(probs.mul(probs.neg().add(1)).maximum(1e-12))).div(n);
  return record(value, [probs], [local]);
}

/**
 * Binary cross-entropy from logits z (any real numbers) against 0/1 targets of the same shape:
 * mean(softplus(z) − y·z), which equals bce(sigmoid(z), y) but stays exact where the sigmoid
 * saturates. Its gradient is (σ(z) − y) / n.
 * @example nn.bceWithLogits(model.forward(x).reshape([-1]), y)
 */
export function bceWithLogits(logits, targets) {
  const y = asTensor(targets);
  sameShapes("bceWithLogits", logits, y);
  return logits.softplus().sub(logits.mul(y)).mean();
}
