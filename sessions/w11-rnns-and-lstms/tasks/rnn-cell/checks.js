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
const ref = { Wxh: fixed(D, H, 1), Whh: fixed(H, H, 2), b: fixed(1, H, 3)[0] };
const params = () => ({ Wxh: tensor(ref.Wxh), Whh: tensor(ref.Whh), b: tensor(ref.b) });
const refCell = (x, h) => mapM(addRow(add(matmul(x, ref.Wxh), matmul(h, ref.Whh)), ref.b), Math.tanh);

check("rnnCell on a batch of 2", () => {
  const x = fixed(2, D, 4);
  const h = fixed(2, H, 5);
  const expected = refCell(x, h);
  const noTanh = addRow(add(matmul(x, ref.Wxh), matmul(h, ref.Whh)), ref.b);
  const noRecurrence = mapM(addRow(matmul(x, ref.Wxh), ref.b), Math.tanh);
  expectMatrix(attempt.rnnCell(tensor(x), tensor(h), params()), expected, "rnnCell(x, h, p)", [
    [noTanh, "Missing the tanh."],
    [noRecurrence, "The previous hidden state is ignored: add h.matmul(p.Whh)."],
  ]);
});

check("unroll returns one state per step, each fed into the next", () => {
  const xs = [fixed(1, D, 6), fixed(1, D, 7), fixed(1, D, 8)];
  let h = [[0, 0, 0, 0]];
  const expected = xs.map((x) => (h = refCell(x, h)));
  const states = attempt.unroll(
    xs.map((x) => tensor(x)),
    tensor([[0, 0, 0, 0]]),
    params(),
  );
  if (!Array.isArray(states) || states.length !== 3)
    throw new CheckFailure(`3 inputs must give 3 hidden states, got ${states?.length}`);
  states.forEach((s, t) => expectMatrix(s, expected[t], `state ${t}`));
});
