import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";
import { rng, normal, altitudeData } from "pack/altimeter";

check("normalizeLogWeights survives huge log weights", () => {
  const w = attempt.normalizeLogWeights([1000, 1000 + Math.log(3)]);
  if (w.some((v) => !Number.isFinite(v)))
    throw new Error(`got ${w}: subtract the maximum before exponentiating`);
  expectClose(w, [0.25, 0.75]);
});

check("importanceMean: E[x] under N(1, 1) from a N(0, 2^2) proposal", () => {
  const u = rng(21);
  const xs = Array.from({ length: 20000 }, () => 2 * normal(u));
  const got = attempt.importanceMean(
    xs,
    (x) => -0.5 * (x - 1) ** 2,
    (x) => (-x * x) / 8,
  );
  if (Math.abs(got) < 0.05) throw new Error(`got ${got}: did you weigh the samples by p(x) / q(x)?`);
  expectClose(got, 1, { atol: 0.05, rtol: 0 });
});

check("resample draws in proportion to the weights", () => {
  const u = rng(3);
  const particles = Array.from({ length: 4000 }, (_, i) => i % 4);
  const weights = particles.map((p) => [0.1, 0.2, 0.3, 0.4][p] / 1000);
  const out = attempt.resample(particles, weights, u);
  if (out.length !== 4000) throw new Error(`expected 4000 particles, got ${out.length}`);
  const freq = [0, 1, 2, 3].map((k) => out.filter((p) => p === k).length / 4000);
  expectClose(freq, [0.1, 0.2, 0.3, 0.4], { atol: 0.03, rtol: 0 });
});

check("with 2000 particles the filter matches the exact Kalman means", () => {
  const model = { a: 1, q: 0.5, r: 4, m0: 100, P0: 10 };
  const { ys } = altitudeData(40, model, 8);
  // Exact Kalman filter for comparison.
  let m = model.m0,
    P = model.P0;
  const exact = ys.map((y) => {
    P += model.q;
    const K = P / (P + model.r);
    m += K * (y - m);
    P *= 1 - K;
    return m;
  });
  const pf = attempt.particleFilter(ys, 2000, model, rng(9));
  if (!pf || pf.length !== 40) throw new Error(`expected 40 means, got ${pf && pf.length}`);
  const gap = Math.sqrt(pf.reduce((s, v, t) => s + (v - exact[t]) ** 2, 0) / 40);
  if (!(gap < 0.15))
    throw new Error(
      `RMS gap to the Kalman means is ${gap.toFixed(3)} (posterior sd is about 1.3); expected below 0.15`,
    );
});
