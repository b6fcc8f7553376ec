// Linear regression by hand-written gradient descent (no autograd), compared with the
// closed-form least-squares answer.
import { seed, tensor, randn, tidy } from "scratch";

seed(1);
const n = 200;
const x = randn([n, 2]);
const trueW = tensor([[2], [-3]]);
const y = tidy(() =>
  x
    .matmul(trueW)
    .add(0.5)
    .add(randn([n, 1]).mul(0.1)),
);

// Closed form: solve the normal equations [XᵀX] w = Xᵀy with a column of ones for the bias.
const X = x.toArray().map((r) => [...r, 1]);
const Y = y.toArray().map((r) => r[0]);
const A = [0, 1, 2].map((i) => [0, 1, 2].map((j) => X.reduce((s, r) => s + r[i] * r[j], 0)));
const b = [0, 1, 2].map((i) => X.reduce((s, r, k) => s + r[i] * Y[k], 0));
for (let i = 0; i < 3; i++) {
  for (let k = i + 1; k < 3; k++) {
    const f = A[k][i] / A[i][i];
    for (let j = i; j < 3; j++) A[k][j] -= f * A[i][j];
    b[k] -= f * b[i];
  }
}
/** The least-squares answer [w1, w2, b]. */
export const closed = [0, 0, 0];
for (let i = 2; i >= 0; i--) {
  closed[i] = (b[i] - [0, 1, 2].slice(i + 1).reduce((s, j) => s + A[i][j] * closed[j], 0)) / A[i][i];
}

// Gradient descent on the mean squared error, gradients written out by hand.
let w = tensor([[0], [0]]).keep();
let bias = 0;
const lr = 0.1;
for (let step = 0; step < 500; step++) {
  tidy(() => {
    const err = x.matmul(w).add(bias).sub(y); // [n, 1]
    const gradW = x
      .transpose()
      .matmul(err)
      .mul(2 / n); // ∂L/∂w = 2/n Xᵀ(Xw + b − y)
    const gradB = err.mean().item() * 2;
    w.assign(w.sub(gradW.mul(lr)));
    bias -= lr * gradB;
  });
}
/** What gradient descent found [w1, w2, b]. */
export const learned = [...w.toArray().map((r) => r[0]), bias];
console.log(
  `closed form ${closed.map((v) => v.toFixed(4))}, gradient descent ${learned.map((v) => v.toFixed(4))}`,
);
