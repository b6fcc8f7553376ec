import { tensor } from "scratch";

export function columnMeans(X) {
  // TODO: one mean per column (which axis?)
  return X;
}

export function centre(X) {
  // TODO: subtract the column means from every row
  return X;
}

export function gram(X) {
  // TODO: X transposed, times X
  return X;
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
