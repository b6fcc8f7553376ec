import { plot } from "scratch";

export function dot(a, b) {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i] * b[i];
  return total;
}

export function relu(z) {
  return Math.max(0, z);
}

export function sigmoid(z) {
  return 1 / (1 + Math.exp(-z));
}

export function tanh(z) {
  const p = Math.exp(z);
  const n = Math.exp(-z);
  return (p - n) / (p + n);
}

export function neuron(x, w, b, activation) {
  return activation(dot(w, x) + b);
}

const zs = Array.from({ length: 81 }, (_, i) => -4 + i / 10);
plot.line(
  { relu: zs.map(relu), sigmoid: zs.map(sigmoid), tanh: zs.map(tanh) },
  { x: zs, title: "activation functions", xLabel: "z", yLabel: "phi(z)" },
);
console.log("neuron:", neuron([1, 2], [0.5, -1], 0.25, sigmoid));
