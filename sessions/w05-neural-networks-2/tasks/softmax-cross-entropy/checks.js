import { check, expect, expectClose, expectShape } from "scratch/check";
import { tensor } from "scratch/tensor";
import * as attempt from "attempt";

const s = (z) => 1 / (1 + Math.exp(-z));

check("sigmoid of [[-2, 0, 3]]", () => {
  expectClose(attempt.sigmoid(tensor([[-2, 0, 3]])), [[s(-2), 0.5, s(3)]], { rtol: 1e-5 });
});

check("softmax rows are probabilities", () => {
  const P = attempt.softmax(
    tensor([
      [2, 1, 0],
      [0, 0, 0],
    ]),
  );
  expectShape(P, [2, 3]);
  const e = [Math.exp(2), Math.exp(1), 1];
  const total = e[0] + e[1] + e[2];
  const got = P.toArray();
  expect(
    Math.abs(got[0][0] + got[1][0] - 1) > 1e-4 || Math.abs(got[0][0] - e[0] / total) < 1e-4,
    "columns sum to 1 instead of rows",
    "normalise over axis 1 (each row), not axis 0",
  );
  expectClose(got, [e.map((v) => v / total), [1 / 3, 1 / 3, 1 / 3]], { rtol: 1e-5 });
});

check("softmax is stable for huge logits", () => {
  const P = attempt.softmax(tensor([[1000, 0, -1000]]));
  expect(
    P.toArray()[0].every(Number.isFinite),
    "softmax([1000, 0, -1000]) contains NaN or Infinity",
    "exp(1000) overflows: subtract each row's maximum before exp",
  );
  expectClose(P, [[1, 0, 0]], { atol: 1e-6 });
});

check("oneHot([2, 0, 1], 3)", () => {
  expectClose(attempt.oneHot([2, 0, 1], 3), [
    [0, 0, 1],
    [1, 0, 0],
    [0, 1, 0],
  ]);
});

check("cross-entropy of a uniform guess over 4 classes is log 4", () => {
  const P = tensor([
    [0.25, 0.25, 0.25, 0.25],
    [0.25, 0.25, 0.25, 0.25],
  ]);
  const Y = tensor([
    [1, 0, 0, 0],
    [0, 0, 1, 0],
  ]);
  const got = attempt.crossEntropy(P, Y);
  expect(typeof got === "number", `crossEntropy should return a number (use .item()), got ${typeof got}`);
  expect(!(got < 0), `got ${got}, a negative loss`, "log p is negative: flip the sign");
  expectClose(got, Math.log(4), { rtol: 1e-5 });
});
