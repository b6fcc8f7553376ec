import { plot } from "scratch";

export function f(x) {
  return x ** 4 - 3 * x ** 3 + 2;
}

export function derivative(x) {
  // TODO: f'(x), worked out by hand
  return 0;
}

export function descend(x0, lr, steps) {
  const path = [x0];
  // TODO: take `steps` steps downhill, pushing each new x onto path
  return path;
}

const path = descend(3, 0.01, 100);
console.log("ended at x =", path[path.length - 1]);

const grid = Array.from({ length: 101 }, (_, i) => -1 + (4.5 * i) / 100);
plot.scatter([...grid, ...path], [...grid.map(f), ...path.map(f)], {
  labels: [...grid.map(() => 0), ...path.map(() => 1)],
  title: "f(x) (colour 0) and the path of gradient descent (colour 1)",
  xLabel: "x",
  yLabel: "f(x)",
});
plot.line(path.map(f), { title: "f(x_t) per step", xLabel: "step", yLabel: "f" });
