import { tensor, plot } from "scratch";

// Both hidden units sum the inputs; the second only fires when both are on, and is subtracted twice.
export const weights = {
  W1: [
    [1, 1],
    [1, 1],
  ],
  b1: [0, -1],
  W2: [[1], [-2]],
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
