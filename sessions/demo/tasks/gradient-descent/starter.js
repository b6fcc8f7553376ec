import { plot } from "scratch";

// f(x) = (x - 3)^2. Return x after one gradient-descent step with learning rate lr.
export function step(x, lr) {
  return x; // TODO
}

const xs = [0];
for (let i = 0; i < 50; i++) xs.push(step(xs[xs.length - 1], 0.1));
plot.line(xs, { title: "x over steps" });
console.log("final x:", xs[xs.length - 1]);
