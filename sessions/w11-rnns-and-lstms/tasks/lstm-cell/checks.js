import { check, CheckFailure } from "scratch/check";
import { tensor } from "scratch";
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

const D = 3;
const H = 4;
const ref = {};
["i", "f", "g", "o"].forEach((gate, k) => {
  ref["W" + gate] = fixed(D, H, 10 + k);
  ref["U" + gate] = fixed(H, H, 20 + k);
  ref["b" + gate] = fixed(1, H, 30 + k)[0];
});
const params = (over = {}) => {
  const p = {};
  for (const [k, v] of Object.entries({ ...ref, ...over })) p[k] = tensor(v).requiresGrad();
  return p;
};
function reference(x, h, c, r = ref) {
  const gate = (g) => addRow(add(matmul(x, r["W" + g]), matmul(h, r["U" + g])), r["b" + g]);
  const i = mapM(gate("i"), sigmoid);
  const f = mapM(gate("f"), sigmoid);
  const g = mapM(gate("g"), Math.tanh);
  const o = mapM(gate("o"), sigmoid);
  const cNew = c.map((row, a) => row.map((v, b) => f[a][b] * v + i[a][b] * g[a][b]));
  const hNew = o.map((row, a) => row.map((v, b) => v * Math.tanh(cNew[a][b])));
  const hOldC = o.map((row, a) => row.map((v, b) => v * Math.tanh(c[a][b])));
  const swapped = c.map((row, a) => row.map((v, b) => i[a][b] * v + f[a][b] * g[a][b]));
  return { hNew, cNew, hOldC, swapped };
}

const x = fixed(2, D, 40);
const h = fixed(2, H, 41);
const c = fixed(2, H, 42);

check("lstmCell: the new cell state c'", () => {
  const out = attempt.lstmCell(tensor(x), [tensor(h), tensor(c)], params());
  if (!Array.isArray(out) || out.length !== 2) throw new CheckFailure("return [hNew, cNew]");
  const r = reference(x, h, c);
  expectMatrix(out[1], r.cNew, "cNew", [
    [r.swapped, "The input and forget gates look swapped: c' = f ⊙ c + i ⊙ g."],
    [r.hNew, "That is h': return [hNew, cNew] in this order."],
  ]);
});

check("lstmCell: the new hidden state h' = o ⊙ tanh(c')", () => {
  const r = reference(x, h, c);
  const [hNew] = attempt.lstmCell(tensor(x), [tensor(h), tensor(c)], params());
  expectMatrix(hNew, r.hNew, "hNew", [
    [r.hOldC, "Uses tanh of the OLD cell state; h' = o ⊙ tanh(c') with the new one."],
    [r.cNew, "That is c': return [hNew, cNew] in this order."],
  ]);
});

check("gradients flow back to every gate's parameters", () => {
  const p = params();
  const [hNew, cNew] = attempt.lstmCell(tensor(x), [tensor(h), tensor(c)], p);
  hNew.sum().add(cNew.sum()).backward();
  for (const k of Object.keys(p)) {
    const g = p[k].grad;
    if (!g)
      throw new CheckFailure(
        `p.${k}.grad is empty: is p.${k} used, and did the computation stay in tensor operations?`,
      );
    const n = g.abs().sum().item();
    if (!(n > 0)) throw new CheckFailure(`p.${k}.grad is all zeros`);
  }
});
