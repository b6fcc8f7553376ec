export function predict(xs, w, b) {
  // TODO: one prediction per x
  return xs.map((x) => 0);
}

export function cost(xs, ys, w, b) {
  // TODO: (1 / 2m) * sum of squared errors
  return 0;
}

const xs = [1, 2, 3];
const ys = [2, 4, 6.5];
for (const [w, b] of [
  [1, 0],
  [2, 0],
  [2.25, -0.33],
]) {
  console.log(`w = ${w}, b = ${b}: cost ${cost(xs, ys, w, b)}`);
}
