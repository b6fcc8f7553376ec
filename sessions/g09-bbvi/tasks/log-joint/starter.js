import { tensor, plot } from "scratch";
import { blobs } from "pack/blobs";

// log(1 + exp(l)) without overflow.
export function softplus(l) {
  return l; // TODO
}

// log p(y | X, w) + log N(w; 0, priorSd^2 I), a one-element tensor.
export function logJoint(w, X, y, priorSd) {
  return w.sum().mul(0); // TODO
}

// ---- try it ---------------------------------------------------------------------------------------
const data = blobs(100, 1);
const X = tensor(data.X),
  y = tensor(data.y);
const ts = Array.from({ length: 41 }, (_, i) => -2 + 0.15 * i);
const values = ts.map((t) => logJoint(tensor([[0], [t], [t]]), X, y, 2).item());
console.log("log joint at w = 0:", values[Math.round(2 / 0.15)].toFixed(3));
plot.line(values, { x: ts, title: "log p(y, w) along w = t (0, 1, 1)", xLabel: "t" });
