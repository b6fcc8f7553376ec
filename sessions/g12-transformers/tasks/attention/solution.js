import { tensor, randn, seed, plot } from "scratch";

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
