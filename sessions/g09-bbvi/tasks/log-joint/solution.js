import { tensor, plot } from "scratch";
import { blobs } from "pack/blobs";

export function softplus(l) {
  return l.relu().add(l.abs().neg().exp().add(1).log());
}

export function logJoint(w, X, y, priorSd) {
  const logits = X.matmul(w);
  const logLik = y.mul(logits).sub(softplus(logits)).sum();
  const d = w.shape[0];
  const logPrior = w
    .pow(2)
    .sum()
    .div(-2 * priorSd * priorSd)
    .sub((d / 2) * Math.log(2 * Math.PI * priorSd * priorSd));
  return logLik.add(logPrior);
}

// ---- try it ---------------------------------------------------------------------------------------
const data = blobs(100, 1);
const X = tensor(data.X),
  y = tensor(data.y);
const ts = Array.from({ length: 41 }, (_, i) => -2 + 0.15 * i);
const values = ts.map((t) => logJoint(tensor([[0], [t], [t]]), X, y, 2).item());
console.log("log joint at w = 0:", values[Math.round(2 / 0.15)].toFixed(3));
plot.line(values, { x: ts, title: "log p(y, w) along w = t (0, 1, 1)", xLabel: "t" });
