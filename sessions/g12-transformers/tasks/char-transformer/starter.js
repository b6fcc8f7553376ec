import { tensor, randn, zeros, noGrad, tidy, seed, optim, data, plot, metrics } from "scratch";

// ---- given: first names as sequences of character ids ---------------------------------------------
export function rng(seed) {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const alphabet = ".abcdefghijklmnopqrstuvwxyz"; // id 0 is "." (start and end of a name)
export const V = alphabet.length;
export const T = 12; // positions per sequence: "." + up to 11 letters
const all = data
  .names()
  .map((n) => n.toLowerCase())
  .filter((n) => /^[a-z]+$/.test(n) && n.length < T);
const shuffler = rng(1);
for (let i = all.length - 1; i > 0; i--) {
  const j = Math.floor(shuffler() * (i + 1));
  [all[i], all[j]] = [all[j], all[i]];
}
export const testNames = all.slice(0, 500);
export const trainNames = all.slice(500);
/** Inputs, targets and loss weights of a batch of names, each flattened to B * T entries. */
export function encode(names) {
  const x = [],
    y = [],
    w = [];
  for (const name of names) {
    const ids = [...name].map((c) => alphabet.indexOf(c));
    for (let t = 0; t < T; t++) {
      x.push(t === 0 ? 0 : (ids[t - 1] ?? 0));
      y.push(ids[t] ?? 0);
      w.push(t <= ids.length ? 1 : 0); // predict every letter and the end; ignore the padding
    }
  }
  return { x, y, w, B: names.length };
}
/** One-hot rows [ids.length, depth] as a tensor. */
export const oneHotRows = (ids, depth) =>
  tensor(ids.map((id) => Array.from({ length: depth }, (_, k) => (k === id ? 1 : 0))));
const masks = new Map();
/**
 * Block-diagonal causal mask [B T, B T]: position i of a name sees positions j <= i of the same
 * name. Built once per batch size and kept (outside any tidy) because every step needs it.
 */
export function batchMask(B) {
  if (!masks.has(B)) {
    const n = B * T;
    const rows = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => (Math.floor(i / T) === Math.floor(j / T) && j <= i ? 0 : -1e9)),
    );
    masks.set(B, tensor(rows).keep());
  }
  return masks.get(B);
}
const positionRows = new Map();
/** One-hot positions [B T, T] (row i is position i % T), kept like the masks. */
export function positions(B) {
  if (!positionRows.has(B))
    positionRows.set(
      B,
      oneHotRows(
        Array.from({ length: B * T }, (_, i) => i % T),
        T,
      ).keep(),
    );
  return positionRows.get(B);
}
// ---------------------------------------------------------------------------------------------------

// ---- given: the previous tasks ----
export function causalMask(T) {
  return tensor(
    Array.from({ length: T }, (_, i) => Array.from({ length: T }, (_, j) => (j <= i ? 0 : -1e9))),
  );
}

export function attentionWeights(q, k, mask = null) {
  const scores = q.matmul(k.transpose()).div(Math.sqrt(q.shape[1]));
  return (mask ? scores.add(mask) : scores).softmax(1);
}

export function attention(q, k, v, mask = null) {
  return attentionWeights(q, k, mask).matmul(v);
}

export function layerNorm(x, gain = null, bias = null, eps = 1e-5) {
  const T = x.shape[0];
  // x - mean written as (-mean) + x: the same values, but scratch's autograd (as of this writing)
  // frees a passed-through gradient too early when the first operand already has a gradient
  // pending — and x does, from the residual connection.
  const centred = x.mean(1).reshape([T, 1]).neg().add(x);
  const variance = centred.pow(2).mean(1).reshape([T, 1]);
  const normed = centred.div(variance.add(eps).sqrt());
  return gain ? normed.mul(gain).add(bias) : normed;
}

export function block(x, p, mask) {
  const a = layerNorm(x, p.g1, p.c1);
  const h = x.add(attention(a.matmul(p.Wq), a.matmul(p.Wk), a.matmul(p.Wv), mask).matmul(p.Wo));
  const m = layerNorm(h, p.g2, p.c2);
  return h.add(m.matmul(p.W1).add(p.b1).relu().matmul(p.W2).add(p.b2));
}

// ---- given: the parameters (d = 32, MLP 64) and Adam ----------------------------------------------
seed(3);
const d = 32;
const w = (r, c) =>
  randn([r, c])
    .mul(1 / Math.sqrt(r))
    .requiresGrad();
export const params = {
  E: randn([V, d]).mul(0.3).requiresGrad(),
  P: randn([T, d]).mul(0.3).requiresGrad(),
  Wq: w(d, d),
  Wk: w(d, d),
  Wv: w(d, d),
  Wo: w(d, d),
  W1: w(d, 64),
  b1: zeros([64]).requiresGrad(),
  W2: w(64, d),
  b2: zeros([d]).requiresGrad(),
  Wout: w(d, V),
};
const opt = new optim.Adam(Object.values(params), { lr: 0.015 });
// ---------------------------------------------------------------------------------------------------

// Logits [B T, V]: embeddings + position embeddings, one block (no layer-norm gains), a final layer norm, Wout.
export function forward(x, B) {
  return zeros([B * T, V]); // TODO
}

// Mean cross-entropy over the positions with weight 1 (a one-element tensor).
export function lossOf({ x, y, w, B }) {
  return forward(x, B).sum().mul(0); // TODO
}

// A new name: start from ".", repeatedly sample the next character from the model until "." or T - 1 letters.
export function sample(u) {
  return ""; // TODO
}

// ---- train ----------------------------------------------------------------------------------------
const u = rng(2);
export const losses = [];
for (let step = 0; step < 150; step++) {
  const names = Array.from({ length: 32 }, () => trainNames[Math.floor(u() * trainNames.length)]);
  // tidy frees the step's temporary tensors (the sandbox caps how many may be alive).
  const value = tidy(() => {
    const loss = lossOf(encode(names));
    opt.zeroGrad();
    loss.backward();
    opt.step();
    return loss.item();
  });
  losses.push(value);
  metrics.log("loss (nats per character)", value);
  if (step % 50 === 0) console.log(`step ${step}: ${value.toFixed(3)} nats per character`);
}
plot.line(losses, { title: "training loss (nats per character)", xLabel: "step" });
/** Average loss over names, in chunks of 32. */
export function evaluate(names) {
  let total = 0,
    count = 0;
  for (let i = 0; i < names.length; i += 32) {
    const batch = encode(names.slice(i, i + 32));
    const n = batch.w.reduce((a, b) => a + b, 0);
    total += tidy(() => noGrad(() => lossOf(batch).item())) * n;
    count += n;
  }
  return total / count;
}
export const testLoss = evaluate(testNames.slice(0, 256));
console.log(`held-out loss ${testLoss.toFixed(3)} nats per character (uniform: ${Math.log(V).toFixed(2)})`);
const su = rng(3);
console.log("new names:", Array.from({ length: 12 }, () => sample(su)).join(", "));
