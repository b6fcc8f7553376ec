import { check, expectClose } from "scratch/check";
import * as attempt from "attempt";
import { rng, normal } from "pack/mixture";

check("alphaBar(0) = 1 and alphaBar integrates the linear beta", () => {
  expectClose(attempt.alphaBar(0), 1);
  const got = attempt.alphaBar(0.5);
  const want = Math.exp(-(0.1 * 0.5 + 0.5 * 19.9 * 0.25));
  if (Math.abs(got - Math.exp(-(0.1 + 19.9 * 0.5) * 0.5)) < 1e-12)
    throw new Error("that is exp(-beta(t) t): integrate beta, which grows linearly");
  expectClose(got, want, { rtol: 1e-9 });
  expectClose(attempt.alphaBar(1), Math.exp(-10.05), { rtol: 1e-9 });
});

check("noisy mixes signal and noise with sqrt(alphaBar) and sqrt(1 - alphaBar)", () => {
  const a = Math.exp(-(0.1 * 0.2 + 0.5 * 19.9 * 0.04));
  expectClose(
    attempt.noisy([1, -2], 0.2, [0.5, 3]),
    [Math.sqrt(a) + Math.sqrt(1 - a) * 0.5, -2 * Math.sqrt(a) + 3 * Math.sqrt(1 - a)],
    { rtol: 1e-9 },
  );
});

check("the marginal variance is preserved for unit-variance data", () => {
  const u = rng(5);
  const xs = Array.from(
    { length: 20000 },
    () => attempt.noisy([normal(u), normal(u)], 0.3, [normal(u), normal(u)])[0],
  );
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
  if (Math.abs(v - 1) > 0.05)
    throw new Error(`variance ${v.toFixed(3)}; a variance-preserving schedule keeps it at 1`);
});
