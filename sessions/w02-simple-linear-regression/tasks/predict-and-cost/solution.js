export function predict(xs, w, b) {
  return xs.map((x) => w * x + b);
}

export function cost(xs, ys, w, b) {
  const predictions = predict(xs, w, b);
  let total = 0;
  for (let i = 0; i < xs.length; i++) total += (predictions[i] - ys[i]) ** 2;
  return total / (2 * xs.length);
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
