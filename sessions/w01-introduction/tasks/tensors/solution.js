import { tensor } from "scratch";

export function columnMeans(X) {
  return X.mean(0);
}

export function centre(X) {
  return X.sub(X.mean(0));
}

export function gram(X) {
  return X.transpose().matmul(X);
}

const X = tensor([
  [1, 2],
  [3, 4],
  [5, 9],
]);
console.log("shape", X.shape);
console.log("column means", columnMeans(X).toArray());
console.log("centred", centre(X).toArray());
console.log("gram", gram(X).toArray());
