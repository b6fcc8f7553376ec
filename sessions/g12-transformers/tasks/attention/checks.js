import { check, expectClose } from "scratch/check";
import { tensor } from "scratch";
import * as attempt from "attempt";

const Q = [
  [1, 0, 2, -1],
  [0.5, 1, -1, 0],
  [-1, 2, 0, 1],
];
const K = [
  [0, 1, 1, 0],
  [2, -1, 0, 1],
  [1, 1, -1, -1],
];
const V = [
  [1, 2],
  [-1, 0],
  [0.5, 3],
];
function weights(masked, scale = 2) {
  return Q.map((q, i) => {
    const s = K.map((k, j) =>
      masked && j > i ? -Infinity : q.reduce((a, qi, c) => a + qi * k[c], 0) / scale,
    );
    const m = Math.max(...s);
    const e = s.map((x) => Math.exp(x - m));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / z);
  });
}

check("causalMask blocks exactly the future", () => {
  const m = attempt.causalMask(4).toArray();
  for (let i = 0; i < 4; i++)
    for (let j = 0; j < 4; j++) {
      const ok = j <= i ? m[i][j] === 0 : m[i][j] <= -1e8;
      if (!ok)
        throw new Error(
          `mask[${i}][${j}] = ${m[i][j]}: expected ${j <= i ? "0 (allowed)" : "-1e9 (the future)"}`,
        );
    }
});

check("attentionWeights = softmax(q k^T / sqrt(d)) without a mask", () => {
  const got = attempt.attentionWeights(tensor(Q), tensor(K), null).toArray();
  const unscaled = weights(false, 1);
  if (got.every((row, i) => row.every((w, j) => Math.abs(w - unscaled[i][j]) < 1e-5)))
    throw new Error("divide the scores by sqrt(d) before the softmax");
  expectClose(got, weights(false), { atol: 1e-5 });
});

check("with the causal mask, position i only attends to j <= i", () => {
  expectClose(
    attempt.attentionWeights(tensor(Q), tensor(K), attempt.causalMask(3)).toArray(),
    weights(true),
    { atol: 1e-5 },
  );
});

check("attention = weights times v", () => {
  const A = weights(true);
  const want = A.map((row) => [0, 1].map((c) => row.reduce((s, a, j) => s + a * V[j][c], 0)));
  expectClose(attempt.attention(tensor(Q), tensor(K), tensor(V), attempt.causalMask(3)), want, {
    atol: 1e-5,
  });
});

check("the future does not leak: changing position 2 leaves outputs 0 and 1 unchanged", () => {
  const out1 = attempt.attention(tensor(Q), tensor(K), tensor(V), attempt.causalMask(3)).toArray();
  const K2 = K.map((r, i) => (i === 2 ? [5, 5, 5, 5] : r)),
    V2 = V.map((r, i) => (i === 2 ? [100, -100] : r));
  const out2 = attempt.attention(tensor(Q), tensor(K2), tensor(V2), attempt.causalMask(3)).toArray();
  expectClose(out2.slice(0, 2), out1.slice(0, 2), { atol: 1e-5 });
});

check("gradient with respect to v is A^T 1 (column sums of the weights)", () => {
  const v = tensor(V).requiresGrad();
  attempt.attention(tensor(Q), tensor(K), v, attempt.causalMask(3)).sum().backward();
  const A = weights(true);
  const colSums = [0, 1, 2].map((j) => A.reduce((s, row) => s + row[j], 0));
  expectClose(
    v.grad.toArray(),
    colSums.map((c) => [c, c]),
    { atol: 1e-5 },
  );
});
