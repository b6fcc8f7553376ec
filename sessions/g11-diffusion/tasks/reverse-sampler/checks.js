import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";

const M = [
  [-2, 0],
  [2, 1],
  [0.5, -2],
];
const nearest = (p) =>
  M.map((m) => Math.hypot(p[0] - m[0], p[1] - m[1])).reduce((b, d, k, ds) => (d < ds[b] ? k : b), 0);

check("returns n points", () => {
  const s = attempt.samples;
  if (!Array.isArray(s) || s.length !== 500 || !s.every((p) => p.length === 2 && p.every(Number.isFinite)))
    throw new Error("expected 500 finite points [x, y]");
});

check("samples land on the modes (95% within 1 of a mean)", () => {
  const close =
    attempt.samples.filter((p) => Math.min(...M.map((m) => Math.hypot(p[0] - m[0], p[1] - m[1]))) < 1)
      .length / 500;
  if (!(close > 0.95))
    throw new Error(
      `${(100 * close).toFixed(1)}% of samples within 1 of a mode; still noisy? (check the drift's sign and the noise scale)`,
    );
});

check("the modes get the mixture weights 0.5 / 0.3 / 0.2", () => {
  const counts = [0, 0, 0];
  for (const p of attempt.samples) counts[nearest(p)]++;
  expectClose(
    counts.map((c) => c / 500),
    [0.5, 0.3, 0.2],
    { atol: 0.06, rtol: 0 },
  );
});

check("the spread around each mode is the data's (sd 0.3)", () => {
  const own = attempt.samples.filter((p) => nearest(p) === 0);
  const sd = Math.sqrt(own.reduce((s, p) => s + (p[0] + 2) ** 2 + p[1] ** 2, 0) / (2 * own.length));
  if (!(sd > 0.2 && sd < 0.42)) throw new Error(`sd around (-2, 0) is ${sd.toFixed(3)}; expected about 0.3`);
});
