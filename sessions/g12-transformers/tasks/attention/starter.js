import { tensor, randn, seed, plot } from "scratch";

// [T, T]: 0 where j <= i (the past and the present), -1e9 where j > i (the future).
export function causalMask(T) {
  return tensor(Array.from({ length: T }, () => new Array(T).fill(0))); // TODO
}

// softmax(q k^T / sqrt(d) + mask) over each row; mask may be null.
export function attentionWeights(q, k, mask = null) {
  const T = q.shape[0];
  return tensor(Array.from({ length: T }, () => new Array(k.shape[0]).fill(1 / k.shape[0]))); // TODO
}

// The attention output: weights times v.
export function attention(q, k, v, mask = null) {
  return attentionWeights(q, k, mask).matmul(v);
}

// ---- try it ---------------------------------------------------------------------------------------
seed(1);
const T = 8,
  d = 16;
const q = randn([T, d]),
  k = randn([T, d]),
  v = randn([T, d]);
plot.heatmap(attentionWeights(q, k, null), { title: "attention weights, no mask" });
plot.heatmap(attentionWeights(q, k, causalMask(T)), { title: "attention weights, causal mask" });
console.log("output shape:", JSON.stringify(attention(q, k, v, causalMask(T)).shape));
