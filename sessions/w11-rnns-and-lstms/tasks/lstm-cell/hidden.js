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

check("forget gate open, input gate shut: the memory passes through untouched", () => {
  const D = 2;
  const H = 3;
  const p = {};
  for (const g of ["i", "f", "g", "o"]) {
    p["W" + g] = tensor(fixed(D, H, 50));
    p["U" + g] = tensor(fixed(H, H, 51));
  }
  p.bi = tensor([-30, -30, -30]);
  p.bf = tensor([30, 30, 30]);
  p.bg = tensor([0, 0, 0]);
  p.bo = tensor([30, 30, 30]);
  const c = [[0.5, -0.25, 0.75]];
  const [hNew, cNew] = attempt.lstmCell(tensor(fixed(1, D, 52)), [tensor(fixed(1, H, 53)), tensor(c)], p);
  expectMatrix(cNew, c, "c' with f ≈ 1, i ≈ 0");
  expectMatrix(hNew, [c[0].map(Math.tanh)], "h' with o ≈ 1");
});
