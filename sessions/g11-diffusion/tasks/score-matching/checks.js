import { check, expectClose } from "scratch/check";
import { tensor, noGrad } from "scratch";
import * as attempt from "attempt";

const M = [
  [-2, 0],
  [2, 1],
  [0.5, -2],
];

check("dsmLoss noises the data with the closed-form marginal", () => {
  // With x0 = 0 the network sees x_t = sigma_t * eps; compare with a direct evaluation.
  const eps = [
    [0.5, -1],
    [1.5, 0.2],
  ];
  const ts = [0.3, 0.7];
  const got = attempt
    .dsmLoss(
      tensor([
        [0, 0],
        [0, 0],
      ]),
      ts,
      tensor(eps),
    )
    .item();
  const xt = eps.map((e, b) => e.map((v) => v * Math.sqrt(1 - attempt.alphaBar(ts[b]))));
  const pred = noGrad(() => attempt.predictNoise(tensor(xt), ts)).toArray();
  const want = pred.reduce((s, p, b) => s + (p[0] - eps[b][0]) ** 2 + (p[1] - eps[b][1]) ** 2, 0) / 2;
  expectClose(got, want, { rtol: 1e-4, atol: 1e-5 });
});

check("the trained loss is well below the zero network's 2", () => {
  const l = attempt.losses;
  const last = l.slice(-50).reduce((a, b) => a + b, 0) / 50;
  if (!(last < 0.8))
    throw new Error(`mean loss over the last 50 steps ${last.toFixed(3)}; expected below 0.8`);
});

check("networkScore points the same way as the exact score", () => {
  const pts = [
    [-1, 0.5],
    [1, 0],
    [0, -1],
    [2.5, 2],
    [-2.5, -0.5],
  ];
  const got = attempt.networkScore(pts, 0.3);
  const cos = pts.map((p, i) => {
    const e = attempt.score(p, 0.3),
      g = got[i];
    return (e[0] * g[0] + e[1] * g[1]) / (Math.hypot(...e) * Math.hypot(...g) + 1e-12);
  });
  const mean = cos.reduce((a, b) => a + b, 0) / cos.length;
  if (!(mean > 0.8))
    throw new Error(
      `mean cosine between learnt and exact scores at t = 0.3 is ${mean.toFixed(3)}; expected over 0.8`,
    );
});

check("samples from the learnt score land near the modes (80% within 1)", () => {
  const close =
    attempt.samples.filter((p) => Math.min(...M.map((m) => Math.hypot(p[0] - m[0], p[1] - m[1]))) < 1)
      .length / attempt.samples.length;
  if (!(close > 0.8))
    throw new Error(`${(100 * close).toFixed(1)}% of samples within 1 of a mode; expected over 80%`);
});
