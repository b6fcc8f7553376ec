import { check, CheckFailure } from "scratch/check";
import { tensor, randn, seed } from "scratch";
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

const x = fixed(2, 3, 1);
const Ws = [fixed(3, 3, 2), fixed(3, 3, 3)];

check("plainForward: two tanh layers", () => {
  const expected = mapM(matmul(mapM(matmul(x, Ws[0]), Math.tanh), Ws[1]), Math.tanh);
  expectMatrix(
    attempt.plainForward(
      tensor(x),
      Ws.map((W) => tensor(W)),
    ),
    expected,
    "plainForward",
  );
});

check("residualForward adds the input back after every layer", () => {
  const h1 = add(x, mapM(matmul(x, Ws[0]), Math.tanh));
  const expected = add(h1, mapM(matmul(h1, Ws[1]), Math.tanh));
  const onlyOnce = add(x, mapM(matmul(mapM(matmul(x, Ws[0]), Math.tanh), Ws[1]), Math.tanh));
  expectMatrix(
    attempt.residualForward(
      tensor(x),
      Ws.map((W) => tensor(W)),
    ),
    expected,
    "residualForward",
    [[onlyOnce, "The input was added once at the end: add h back after EVERY layer."]],
  );
});

check("at depth 25 the residual stack passes far more gradient to its input", () => {
  seed(5);
  const weights = Array.from({ length: 25 }, () => randn([16, 16]).mul(0.125));
  const norm = (f) => {
    const xin = randn([8, 16]).requiresGrad();
    f(xin, weights).sum().backward();
    return xin.grad ? xin.grad.pow(2).sum().sqrt().item() : 0;
  };
  const plain = norm(attempt.plainForward);
  const residual = norm(attempt.residualForward);
  if (!(residual > 100 * plain))
    throw new CheckFailure(
      `gradient norm at the input: residual ${residual.toExponential(2)}, plain ${plain.toExponential(2)}; expected the residual one to be over 100× larger`,
    );
});
