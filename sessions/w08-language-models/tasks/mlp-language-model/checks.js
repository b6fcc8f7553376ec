import { check, CheckFailure } from "scratch/check";
import { tensor, tidy, noGrad, data } from "scratch";
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

const d = 2;
const H = 3;
const ref = {
  C: fixed(27, d, 1),
  W1: fixed(3 * d, H, 2),
  b1: fixed(1, H, 3)[0],
  W2: fixed(H, 27, 4),
  b2: fixed(1, 27, 5)[0],
};
const params = () => Object.fromEntries(Object.entries(ref).map(([k, v]) => [k, tensor(v)]));

check("forward: embeddings, concatenation, tanh layer, logits", () => {
  const ctx = [
    [0, 0, 5],
    [1, 2, 3],
  ];
  const emb = ctx.map((row) => row.flatMap((ix) => ref.C[ix]));
  const expected = addRow(matmul(mapM(addRow(matmul(emb, ref.W1), ref.b1), Math.tanh), ref.W2), ref.b2);
  const noTanh = addRow(matmul(addRow(matmul(emb, ref.W1), ref.b1), ref.W2), ref.b2);
  const got = tidy(() => noGrad(() => attempt.forward(params(), tensor(ctx, [2, 3], "int32")).toArray()));
  expectMatrix(got, expected, "forward(p, [[0, 0, 5], [1, 2, 3]])", [
    [noTanh, "Missing the tanh of the hidden layer."],
  ]);
});

check("nllLoss is the mean -log softmax of the target", () => {
  // Two rows of 27 logits: row 0 puts log 3 on class 1, row 1 puts log 5 on class 2 (all others 0).
  const logits = [0, 1].map((r) =>
    Array.from({ length: 27 }, (_, j) =>
      r === 0 && j === 1 ? Math.log(3) : r === 1 && j === 2 ? Math.log(5) : 0,
    ),
  );
  // softmax: P(class 1 | row 0) = 3 / 29, P(class 2 | row 1) = 5 / 31
  const expected = -(Math.log(3 / 29) + Math.log(5 / 31)) / 2;
  const got = tidy(() => attempt.nllLoss(tensor(logits), tensor([1, 2], [2], "int32")).item());
  if (Math.abs(got + expected) < 1e-5)
    throw new CheckFailure(`got ${got}: the sign is flipped, the loss is MINUS the log-likelihood`);
  if (Math.abs(got - 2 * expected) < 1e-5)
    throw new CheckFailure(`got ${got}: that is the sum; divide by the batch size`);
  if (!(Math.abs(got - expected) < 1e-5))
    throw new CheckFailure(`expected ${expected.toFixed(5)}, got ${got}`);
});

check("the trained MLP gets a held-out NLL near or below the bigram's 2.42", () => {
  if (!attempt.params || !attempt.params.C) throw new CheckFailure("export const params (the trained model)");
  const names = data
    .names()
    .map((s) => s.toLowerCase())
    .filter((s) => /^[a-z]+$/.test(s));
  const { X, Y } = attempt.buildDataset(names.filter((_, i) => i % 10 === 0));
  const nll = tidy(() =>
    noGrad(() => {
      const p = attempt.params;
      const B = X.shape[0];
      const h = p.C.gather(X.reshape([-1]))
        .reshape([B, -1])
        .matmul(p.W1)
        .add(p.b1)
        .tanh();
      return h.matmul(p.W2).add(p.b2).logSoftmax(1).mul(attemptOneHot(Y)).sum().div(-B).item();
    }),
  );
  console.log(`held-out NLL (checked independently): ${nll.toFixed(3)}`);
  if (!(nll < 2.45))
    throw new CheckFailure(
      `held-out NLL ${nll.toFixed(3)}; the MLP should reach about 2.4 or better. Is the loss decreasing in the plot?`,
    );
});

function attemptOneHot(Y) {
  return tensor(
    Y.toArray().flatMap((y) => Array.from({ length: 27 }, (_, k) => (k === y ? 1 : 0))),
    [Y.shape[0], 27],
  );
}
