import { tensor, plot } from "scratch";

// log(1 + exp(l)) without overflow.
export function softplus(l) {
  return l; // TODO
}

// mean softplus(-real) + mean softplus(fake)
export function discriminatorLoss(realLogits, fakeLogits) {
  return realLogits.sum().mul(0); // TODO
}

// non-saturating: mean softplus(-fake)
export function generatorLoss(fakeLogits) {
  return fakeLogits.sum().mul(0); // TODO
}

// ---- try it ---------------------------------------------------------------------------------------
const logits = tensor(Array.from({ length: 41 }, (_, i) => -8 + 0.4 * i)).requiresGrad();
generatorLoss(logits).backward();
const slopeNS = logits.grad.toArray().map((g) => -g * 41);
const d = logits.toArray().map((l) => 1 / (1 + Math.exp(-l)));
plot.line(slopeNS, { x: d, title: "non-saturating: |dL_G / dlogit| against D(G(z))", xLabel: "D(G(z))" });
plot.line(d, { x: d, title: "saturating log(1 - D): |dL / dlogit| = D against D(G(z))", xLabel: "D(G(z))" });
console.log(
  "discriminator loss at logits 0:",
  discriminatorLoss(tensor([0, 0]), tensor([0, 0]))
    .item()
    .toFixed(4),
  "(2 log 2 = 1.3863)",
);
