import { check, expectClose } from "scratch/check";
import { tensor } from "scratch";
import * as attempt from "attempt";

const sp = (l) => Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));
const scalar = (t) => {
  const v = t && typeof t.toArray === "function" ? t.toArray() : t;
  return Array.isArray(v) ? v.flat(Infinity)[0] : v;
};

check("softplus is log(1 + e^l), also for large |l|", () => {
  const got = attempt.softplus(tensor([-50, -1, 0.5, 80])).toArray();
  if (!got.every(Number.isFinite)) throw new Error(`got ${got}: compute max(l, 0) + log(1 + exp(-|l|))`);
  expectClose(got, [-50, -1, 0.5, 80].map(sp), { rtol: 1e-5, atol: 1e-6 });
});

check("discriminatorLoss is the binary cross-entropy with real = 1, fake = 0", () => {
  const real = [2, -1, 0.5],
    fake = [-3, 1];
  const want = real.reduce((s, l) => s + sp(-l), 0) / 3 + fake.reduce((s, l) => s + sp(l), 0) / 2;
  const got = scalar(attempt.discriminatorLoss(tensor(real), tensor(fake)));
  const swapped = real.reduce((s, l) => s + sp(l), 0) / 3 + fake.reduce((s, l) => s + sp(-l), 0) / 2;
  if (Math.abs(got - swapped) < 1e-5)
    throw new Error("real and fake labels are swapped: real logits should be pushed up");
  expectClose(got, want, { rtol: 1e-5 });
});

check("generatorLoss is non-saturating: -mean log D(G(z))", () => {
  const fake = [-6, 0, 2];
  const got = scalar(attempt.generatorLoss(tensor(fake)));
  const saturating = -fake.reduce((s, l) => s + sp(l), 0) / 3;
  if (Math.abs(got - saturating) < 1e-5)
    throw new Error("that is the saturating loss log(1 - D); use -log D = softplus(-logit)");
  expectClose(got, fake.reduce((s, l) => s + sp(-l), 0) / 3, { rtol: 1e-5 });
});

check("generatorLoss gradient: dL/dlogit = -(1 - D) / n", () => {
  const l = tensor([-6, 0.3, 2]).requiresGrad();
  attempt.generatorLoss(l).backward();
  expectClose(
    l.grad.toArray(),
    [-6, 0.3, 2].map((v) => -(1 - 1 / (1 + Math.exp(-v))) / 3),
    { atol: 1e-6 },
  );
});
