import { plot } from "scratch";

export function dot(a, b) {
  // TODO: the sum of a[i] * b[i]
  return 0;
}

export function relu(z) {
  return z; // TODO
}

export function sigmoid(z) {
  return z; // TODO
}

export function tanh(z) {
  return z; // TODO: from exponentials
}

export function neuron(x, w, b, activation) {
  // TODO: weighted sum plus bias, through the activation
  return 0;
}

const zs = Array.from({ length: 81 }, (_, i) => -4 + i / 10);
plot.line(
  { relu: zs.map(relu), sigmoid: zs.map(sigmoid), tanh: zs.map(tanh) },
  { x: zs, title: "activation functions", xLabel: "z", yLabel: "phi(z)" },
);
console.log("neuron:", neuron([1, 2], [0.5, -1], 0.25, sigmoid));
