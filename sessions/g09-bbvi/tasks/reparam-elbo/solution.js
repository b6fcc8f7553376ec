import { tensor, randn, seed, metrics } from "scratch";
import { blobs } from "pack/blobs";

// ---- given: the previous task ----
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

export function elbo(mu, logSigma, eps, X, y, priorSd) {
  const [d, S] = eps.shape;
  const W = mu.add(logSigma.exp().mul(eps)); // [d, S]: one weight sample per column
  const logits = X.matmul(W); // [n, S]
  const logLik = y.mul(logits).sub(softplus(logits)).sum().div(S);
  const logPrior = W.pow(2)
    .sum()
    .div(-2 * priorSd * priorSd * S)
    .sub((d / 2) * Math.log(2 * Math.PI * priorSd * priorSd));
  const entropy = logSigma.sum().add((d / 2) * Math.log(2 * Math.PI * Math.E));
  return logLik.add(logPrior).add(entropy);
}

// ---- try it ---------------------------------------------------------------------------------------
seed(2);
const data = blobs(100, 1);
const X = tensor(data.X),
  y = tensor(data.y);
const mu = tensor([[0], [1], [0.5]]);
const logSigma = tensor([[-1], [-1], [-1]]);
for (const S of [1, 4, 16, 64]) {
  const grads = [];
  for (let rep = 0; rep < 30; rep++) {
    const m = tensor(mu.toArray()).requiresGrad();
    elbo(m, logSigma, randn([3, S]), X, y, 2).backward();
    grads.push(m.grad.toArray()[1][0]);
  }
  const mean = grads.reduce((a, b) => a + b, 0) / grads.length;
  const sd = Math.sqrt(grads.reduce((a, b) => a + (b - mean) ** 2, 0) / grads.length);
  metrics.log(`sd of the gradient estimate, S = ${S}`, sd);
  console.log(`S = ${S}: dELBO/dmu_1 = ${mean.toFixed(2)} ± ${sd.toFixed(2)}`);
}
