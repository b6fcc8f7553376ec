import { tensor } from "scratch";

export function activate(Z, name) {
  if (name === "relu") return Z.relu();
  if (name === "sigmoid") return Z.sigmoid();
  if (name === "tanh") return Z.tanh();
  if (name === "linear") return Z;
  throw new Error(`unknown activation "${name}"`);
}

export function dense(X, W, b, name) {
  return activate(X.matmul(W).add(b), name);
}

const X = tensor([
  [1, 0, 2],
  [0, 1, -1],
  [2, 2, 0],
  [-1, 0, 1],
]);
const W = tensor([
  [0.5, -1],
  [1, 0.5],
  [-0.5, 1],
]);
const b = tensor([0.1, -0.2]);
console.log("relu layer:", dense(X, W, b, "relu").toArray());
