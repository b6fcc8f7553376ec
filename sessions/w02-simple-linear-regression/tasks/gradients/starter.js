export function cost(xs, ys, w, b) {
  let total = 0;
  for (let i = 0; i < xs.length; i++) total += (w * xs[i] + b - ys[i]) ** 2;
  return total / (2 * xs.length);
}

export function gradients(xs, ys, w, b) {
  // TODO: the average of e * x, and the average of e, with e = w * x + b - y
  return { dw: 0, db: 0 };
}

export function step(xs, ys, w, b, lr) {
  // TODO: move w and b against their gradients
  return { w, b };
}

const xs = [1, 2, 3, 4];
const ys = [3, 5, 7.5, 9];
let params = { w: 0, b: 0 };
console.log("cost before:", cost(xs, ys, params.w, params.b));
for (let i = 0; i < 10; i++) params = step(xs, ys, params.w, params.b, 0.05);
console.log("cost after 10 steps:", cost(xs, ys, params.w, params.b), params);
