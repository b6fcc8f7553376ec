import { tensor, plot } from "scratch";

// TODO: choose these numbers. W1 is [2, 2] (inputs x hidden units), b1 has 2 entries,
// W2 is [2, 1] (hidden units x output), b2 has 1 entry.
export const weights = {
  W1: [
    [0, 0],
    [0, 0],
  ],
  b1: [0, 0],
  W2: [[0], [0]],
  b2: [0],
};

export function forward(X, { W1, b1, W2, b2 }) {
  return X.matmul(tensor(W1)).add(tensor(b1)).relu().matmul(tensor(W2)).add(tensor(b2));
}

const inputs = tensor([
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
]);
console.log("outputs:", forward(inputs, weights).toArray());

const n = 41;
const grid = [];
for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) grid.push([j / (n - 1), 1 - i / (n - 1)]);
plot.heatmap(forward(tensor(grid), weights).reshape([n, n]), { title: "network output over [0, 1]^2" });
