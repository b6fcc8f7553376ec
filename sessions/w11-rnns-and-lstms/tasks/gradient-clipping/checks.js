import { check, CheckFailure } from "scratch/check";
import { tensor } from "scratch";
import * as attempt from "attempt";

// Two parameters whose gradients are known exactly: d/dw sum(w * c) = c.
function withGrads(c1, c2) {
  const w1 = tensor(c1.map((row) => row.map(() => 0))).requiresGrad();
  const w2 = tensor(c2.map(() => 0)).requiresGrad();
  w1.mul(tensor(c1))
    .sum()
    .add(w2.mul(tensor(c2)).sum())
    .backward();
  return [w1, w2];
}

check("gradNorm is one norm over all parameters", () => {
  const params = withGrads(
    [
      [3, 0],
      [0, 4],
    ],
    [12, 0],
  ); // sqrt(9 + 16 + 144) = 13
  const got = attempt.gradNorm(params);
  if (Math.abs(got - 5) < 1e-4)
    throw new CheckFailure("got 5: only the first parameter counted. Sum the squares over every parameter.");
  if (Math.abs(got - 17) < 1e-4)
    throw new CheckFailure(
      "got 17 = 5 + 12: you added per-parameter norms. Add the squares first, then take one square root.",
    );
  if (Math.abs(got - 169) < 1e-3)
    throw new CheckFailure("got 169: take the square root of the sum of squares.");
  if (!(Math.abs(got - 13) < 1e-4)) throw new CheckFailure(`expected sqrt(9 + 16 + 144) = 13, got ${got}`);
});

check("clipGradNorm leaves small gradients alone", () => {
  const params = withGrads(
    [
      [0.3, 0],
      [0, 0.4],
    ],
    [0],
  );
  const norm = attempt.clipGradNorm(params, 1);
  if (!(Math.abs(norm - 0.5) < 1e-5))
    throw new CheckFailure(`clipGradNorm should return the norm 0.5, got ${norm}`);
  const g = params[0].grad.toArray();
  if (!(Math.abs(g[0][0] - 0.3) < 1e-5 && Math.abs(g[1][1] - 0.4) < 1e-5))
    throw new CheckFailure(`a gradient of norm 0.5 < 1 must not change, got ${JSON.stringify(g)}`);
});

check("clipGradNorm rescales big gradients to norm maxNorm, keeping the direction", () => {
  const params = withGrads(
    [
      [3, 0],
      [0, 4],
    ],
    [12, 0],
  );
  const norm = attempt.clipGradNorm(params, 1.3);
  if (!(Math.abs(norm - 13) < 1e-4))
    throw new CheckFailure(`clipGradNorm should return the norm before clipping, 13; got ${norm}`);
  const g1 = params[0].grad.toArray();
  const g2 = params[1].grad.toArray();
  const expected = [0.3, 0.4, 1.2];
  const got = [g1[0][0], g1[1][1], g2[0]];
  if (got.some((v, i) => !(Math.abs(v - expected[i]) < 1e-4))) {
    const perParam = Math.abs(got[0] - 0.78) < 1e-3;
    throw new CheckFailure(
      `expected the gradients × 0.1 = [0.3, 0.4] and [1.2], got [${got.map((v) => v.toFixed(4))}].${perParam ? " You clipped each parameter separately: that changes the direction. Use one scale for all." : ""}`,
    );
  }
});
