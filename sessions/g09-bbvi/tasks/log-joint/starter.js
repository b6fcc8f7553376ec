import { tensor, plot } from "scratch";

// ---- given: random numbers and two overlapping blobs with a bias feature ---------------------------
export function rng(seed) {
  let a = seed >>> 0 || 1;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const normal = (u) => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
/** n points: class 1 around (1, 0.5), class 0 around (-1, -0.5), sd 1. Rows of X are [1, x1, x2]. */
export function blobs(n, seed) {
  const u = rng(seed);
  const X = [],
    y = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    X.push([1, (c ? 1 : -1) + normal(u), (c ? 0.5 : -0.5) + normal(u)]);
    y.push([c]);
  }
  return { X, y };
}
// ---------------------------------------------------------------------------------------------------

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
