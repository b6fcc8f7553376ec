import { tensor, randn, zeros, ones, seed, plot } from "scratch";

// ---- given: the previous task ----
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
  const centred = x.sub(x.mean(1).reshape([T, 1]));
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

// ---- try it ---------------------------------------------------------------------------------------
seed(2);
const T = 6,
  d = 8;
const w = (r, c) => randn([r, c]).mul(1 / Math.sqrt(r));
const p = {
  g1: ones([d]),
  c1: zeros([d]),
  Wq: w(d, d),
  Wk: w(d, d),
  Wv: w(d, d),
  Wo: w(d, d),
  g2: ones([d]),
  c2: zeros([d]),
  W1: w(d, 32),
  b1: zeros([32]),
  W2: w(32, d),
  b2: zeros([d]),
};
const x = randn([T, d]);
const y = block(x, p, causalMask(T));
console.log("block output shape:", JSON.stringify(y.shape));
plot.heatmap(layerNorm(x, null, null), { title: "layer-normalised rows" });
plot.heatmap(y, { title: "block output" });
