import { tensor, zeros } from "scratch";

export function sigmoid(Z) {
  return Z.neg().exp().add(1).pow(-1);
}

export function softmax(Z) {
  const m = Z.shape[0];
  const e = Z.sub(Z.max(1).reshape([m, 1])).exp();
  return e.div(e.sum(1).reshape([m, 1]));
}

export function forward(X, params) {
  const Z1 = X.matmul(params.W1).add(params.b1);
  const A1 = sigmoid(Z1);
  const Z2 = A1.matmul(params.W2).add(params.b2);
  return { Z1, A1, Z2, P: softmax(Z2) };
}

export function loss(X, Y, params) {
  return Y.mul(forward(X, params).P.log()).sum(1).mean().neg().item();
}

export function backward(X, Y, params, cache) {
  const m = X.shape[0];
  const { A1, P } = cache;
  const dZ2 = P.sub(Y).div(m);
  const dW2 = A1.transpose().matmul(dZ2);
  const db2 = dZ2.sum(0);
  const dA1 = dZ2.matmul(params.W2.transpose());
  const dZ1 = dA1.mul(A1).mul(A1.neg().add(1));
  const dW1 = X.transpose().matmul(dZ1);
  const db1 = dZ1.sum(0);
  return { W1: dW1, b1: db1, W2: dW2, b2: db2 };
}

// A tiny problem: 4 points, 3 hidden units, 2 classes.
const X = tensor([
  [0.5, -1],
  [1, 2],
  [-1.5, 0.5],
  [0, 1],
]);
const Y = tensor([
  [1, 0],
  [0, 1],
  [0, 1],
  [1, 0],
]);
const params = {
  W1: tensor([
    [0.1, -0.2, 0.3],
    [0.4, 0.1, -0.5],
  ]),
  b1: tensor([0.1, 0, -0.1]),
  W2: tensor([
    [0.2, -0.3],
    [-0.4, 0.5],
    [0.6, 0.1],
  ]),
  b2: tensor([0, 0.2]),
};
const grads = backward(X, Y, params, forward(X, params));

// Gradient check on W1[0][1]: nudge it both ways and watch the loss.
const h = 1e-2;
const nudged = (delta) => {
  const W1 = params.W1.toArray();
  W1[0][1] += delta;
  return loss(X, Y, { ...params, W1: tensor(W1) });
};
console.log("numerical dL/dW1[0][1]:", (nudged(h) - nudged(-h)) / (2 * h));
console.log("your      dL/dW1[0][1]:", grads.W1.toArray()[0][1]);
