import { tensor } from "scratch";

export function sigmoid(Z) {
  return Z.neg().exp().add(1).pow(-1);
}

export function softmax(Z) {
  const m = Z.shape[0];
  const shifted = Z.sub(Z.max(1).reshape([m, 1]));
  const e = shifted.exp();
  return e.div(e.sum(1).reshape([m, 1]));
}

export function oneHot(labels, k) {
  return tensor(labels.map((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0))));
}

export function crossEntropy(P, Y) {
  return Y.mul(P.log()).sum(1).mean().neg().item();
}

const Z = tensor([
  [2, 1, 0],
  [0, 0, 0],
  [1000, 0, -1000],
]);
const P = softmax(Z);
console.log("softmax", P.toArray());
console.log("cross-entropy", crossEntropy(P, oneHot([0, 1, 0], 3)));
