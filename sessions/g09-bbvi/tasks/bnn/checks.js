import { check, expectClose } from "scratch/check";
import { tensor, zeros } from "scratch";
import * as attempt from "attempt";

const scalar = (t) => {
  const v = t && typeof t.toArray === "function" ? t.toArray() : t;
  return Array.isArray(v) ? v.flat(Infinity)[0] : v;
};

check("klToPrior matches the closed form", () => {
  const means = [tensor([[1, 0]]), tensor([0.5])];
  const logSigmas = [tensor([[0, Math.log(0.5)]]), tensor([Math.log(2)])];
  const kl = (m, s, p) => Math.log(p / s) + (s * s + m * m) / (2 * p * p) - 0.5;
  const want = kl(1, 1, 2) + kl(0, 0.5, 2) + kl(0.5, 2, 2);
  expectClose(scalar(attempt.klToPrior(means, logSigmas, 2)), want, { rtol: 1e-5, atol: 1e-6 });
});

check("sampleWeights draws mean + sigma * noise for every tensor", () => {
  const means = [zeros([200, 10]).add(1), zeros([50]).add(-2)];
  const logSigmas = [zeros([200, 10]).add(Math.log(0.5)), zeros([50]).add(-30)];
  const W = attempt.sampleWeights(means, logSigmas);
  if (!Array.isArray(W) || W.length !== 2)
    throw new Error("return a list with one sampled tensor per layer tensor");
  const a = W[0].toArray().flat();
  const m = a.reduce((s, v) => s + v, 0) / a.length;
  const sd = Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length);
  if (Math.abs(m - 1) > 0.05 || Math.abs(sd - 0.5) > 0.05)
    throw new Error(`samples have mean ${m.toFixed(3)} and sd ${sd.toFixed(3)}; expected 1 and 0.5`);
  expectClose(W[1].toArray(), new Array(50).fill(-2), { atol: 1e-5 });
});

check("the trained network classifies the moons (over 85% with the mean prediction)", () => {
  const { X, y } = attempt.moons(200, 2);
  const probs = attempt.sampledProbabilities(X, 30);
  const right = X.filter(
    (_, k) => (probs.reduce((s, p) => s + p[k], 0) / probs.length > 0.5 ? 1 : 0) === y[k][0],
  ).length;
  if (!(right / X.length > 0.85)) throw new Error(`accuracy ${(100 * right) / X.length}%; expected over 85%`);
});

check("the sampled networks disagree more far from the data than on it (sd of the logits)", () => {
  const spread = (points) => {
    const probs = attempt.sampledLogits(points, 50);
    return (
      points.reduce((acc, _, k) => {
        const m = probs.reduce((s, p) => s + p[k], 0) / probs.length;
        return acc + Math.sqrt(probs.reduce((s, p) => s + (p[k] - m) ** 2, 0) / probs.length);
      }, 0) / points.length
    );
  };
  const near = spread(attempt.moons(100, 3).X);
  const far = spread([
    [-3, 3],
    [3, 3],
    [-3, -3],
    [3, -3],
    [0, 3],
    [0, -3],
    [3, 0],
    [-3, 0],
  ]);
  if (!(far > near))
    throw new Error(`mean sd of the logits: ${far.toFixed(3)} far away vs ${near.toFixed(3)} on the data`);
});
