import { check, CheckFailure } from "scratch/check";
import { tensor, zeros, tidy, noGrad, data } from "scratch";
import * as attempt from "attempt";

// Plain-JS reference arithmetic on nested arrays, independent of the attendee's tensors.
const matmul = (A, B) => A.map((row) => B[0].map((_, j) => row.reduce((s, a, k) => s + a * B[k][j], 0)));
const addRow = (A, b) => A.map((row) => row.map((v, j) => v + b[j]));
const add = (A, B) => A.map((row, i) => row.map((v, j) => v + B[i][j]));
const mapM = (A, f) => A.map((row) => row.map(f));
const sigmoid = (v) => 1 / (1 + Math.exp(-v));
// Deterministic "random" matrices so the reference and the attempt see the same numbers.
const fixed = (rows, cols, salt) =>
  Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => Math.sin(1 + salt * 7.3 + i * 3.1 + j * 1.7) * 0.8),
  );

function expectMatrix(got, expected, what, causes = []) {
  const arr = got && typeof got.toArray === "function" ? got.toArray() : got;
  if (
    !Array.isArray(arr) ||
    arr.length !== expected.length ||
    !Array.isArray(arr[0]) ||
    arr[0].length !== expected[0].length
  )
    throw new CheckFailure(
      `${what}: expected shape [${expected.length}, ${expected[0].length}], got ${got && got.shape ? "[" + got.shape + "]" : JSON.stringify(arr)?.slice(0, 60)}`,
    );
  for (let i = 0; i < expected.length; i++)
    for (let j = 0; j < expected[0].length; j++)
      if (!(Math.abs(arr[i][j] - expected[i][j]) < 1e-4)) {
        const cause = causes.find(([alt]) =>
          alt.every((row, a) => row.every((v, b) => Math.abs(v - arr[a][b]) < 1e-4)),
        );
        throw new CheckFailure(
          `${what}: element [${i}, ${j}] expected ${expected[i][j].toFixed(5)}, got ${arr[i][j]}${cause ? ". " + cause[1] : ""}`,
        );
      }
}

const transposeM = (A) => A[0].map((_, j) => A.map((row) => row[j]));
function refAttention(q, k, v, causal) {
  const d = q[0].length;
  const scores = matmul(q, transposeM(k)).map((row, t) =>
    row.map((x, s) => (causal && s > t ? -Infinity : x / Math.sqrt(d))),
  );
  const weights = scores.map((row) => {
    const m = Math.max(...row);
    const e = row.map((x) => Math.exp(x - m));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / z);
  });
  return { out: matmul(weights, v), weights };
}

check("causalMask(4): 0 on and below the diagonal, -1e9 above", () => {
  const m = tidy(() => attempt.causalMask(4).toArray());
  for (let t = 0; t < 4; t++)
    for (let s = 0; s < 4; s++) {
      const ok = s <= t ? m[t][s] === 0 : m[t][s] <= -1e8;
      if (!ok)
        throw new CheckFailure(
          `mask[${t}][${s}] = ${m[t][s]}: position ${t} ${s <= t ? "may" : "must not"} look at position ${s}${s > t && m[s][t] <= -1e8 ? " — looks transposed (the future is above the diagonal)" : ""}`,
        );
    }
});

check("attention without a mask matches softmax(q kᵀ / √d) v", () => {
  const q = fixed(3, 2, 1);
  const k = fixed(3, 2, 2);
  const v = fixed(3, 2, 3);
  const r = refAttention(q, k, v, false);
  const noScale = (() => {
    const s = matmul(q, transposeM(k)).map((row) => {
      const e = row.map(Math.exp);
      const z = e.reduce((a, b) => a + b, 0);
      return e.map((x) => x / z);
    });
    return matmul(s, v);
  })();
  const got = tidy(() => {
    const { out, weights } = attempt.attention(tensor(q), tensor(k), tensor(v), zeros([3, 3]));
    return { out: out.toArray(), weights: weights.toArray() };
  });
  expectMatrix(got.weights, r.weights, "weights");
  expectMatrix(got.out, r.out, "out", [[noScale, "Divide the scores by √d before the softmax."]]);
});

check("with the causal mask, position 0 sees only itself and each row sums to 1", () => {
  const q = fixed(4, 3, 4);
  const k = fixed(4, 3, 5);
  const v = fixed(4, 3, 6);
  const r = refAttention(q, k, v, true);
  const got = tidy(() => {
    const { out, weights } = attempt.attention(tensor(q), tensor(k), tensor(v), attempt.causalMask(4));
    return { out: out.toArray(), weights: weights.toArray() };
  });
  got.weights.forEach((row, t) => {
    const s = row.reduce((a, b) => a + b, 0);
    if (!(Math.abs(s - 1) < 1e-4))
      throw new CheckFailure(
        `weights row ${t} sums to ${s}: take the softmax over the LAST axis (over keys)`,
      );
  });
  expectMatrix(got.weights, r.weights, "causal weights");
  expectMatrix(got.out, r.out, "causal out");
});
