import { plot } from "scratch";

export function step(x, lr) {
  const gradient = 2 * (x - 3);
  return x - lr * gradient;
}

const xs = [0];
for (let i = 0; i < 50; i++) xs.push(step(xs[xs.length - 1], 0.1));
plot.line(xs, { title: "x over steps" });
console.log("final x:", xs[xs.length - 1]);
