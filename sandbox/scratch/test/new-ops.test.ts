/**
 * The ops issue 16 added, on the cases that motivated them: stable log-sum-exp, softplus and
 * log-sigmoid at large |x|, bce that still learns from a saturated wrong prediction, bce from
 * logits, mask fills with ±Infinity, and the linear-algebra errors a learner meets first.
 * (Their values and gradients on generated inputs are in kernels.property.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { installDirectHost } from "../testing/install.js";

await installDirectHost("cpu");
const S = await import("scratch");
const { nn } = S;

describe("stable reductions and activations", () => {
  it("logsumexp does not overflow where exp does", () => {
    const x = S.tensor([
      [1000, 1000],
      [-1000, -1000],
    ]);
    const y = Array.from(x.logsumexp(-1).data()) as number[];
    expect(y[0]).toBeCloseTo(1000 + Math.log(2), 3);
    expect(y[1]).toBeCloseTo(-1000 + Math.log(2), 3);
    expect(x.exp().sum(-1).log().data()[0]).toBe(Infinity);
  });

  it("softplus and logSigmoid stay finite with a gradient at ±100", () => {
    const x = S.tensor([-100, 0, 100]).requiresGrad();
    const [low, mid, high] = Array.from(x.softplus().data()) as [number, number, number];
    expect(low).toBeGreaterThan(0); // e^−100, not rounded to 0 by log(1 + e^−100)
    expect(low).toBeLessThan(1e-40);
    expect([mid, high]).toEqual([Math.fround(Math.log(2)), 100]);
    const [lsLow, lsMid, lsHigh] = Array.from(x.logSigmoid().data()) as [number, number, number];
    expect([lsLow, lsMid]).toEqual([-100, Math.fround(-Math.log(2))]);
    expect(lsHigh).toBeLessThan(0); // −e^−100, not log(1) = 0
    expect(lsHigh).toBeGreaterThan(-1e-40);
    x.logSigmoid().sum().backward();
    const [g0, g1, g2] = Array.from(x.grad.data()) as [number, number, number];
    expect([g0, g1]).toEqual([1, 0.5]);
    expect(g2).toBeLessThan(1e-40); // σ(−100)
  });
});

describe("binary cross-entropy", () => {
  it("bce gives a saturated wrong prediction a gradient (it clamped to none before)", () => {
    const p = S.tensor([0, 0.5]).requiresGrad();
    const loss = nn.bce(p, S.tensor([1, 1]));
    expect(loss.item()).toBeCloseTo((100 + Math.log(2)) / 2, 4);
    loss.backward();
    const [g0, g1] = Array.from(p.grad.data()) as [number, number];
    expect(g0).toBeLessThan(-1e6);
    expect(g1).toBeCloseTo(-1, 5); // (0.5 − 1) / (0.25) / 2
  });

  it("bceWithLogits equals bce(sigmoid) and keeps learning where the sigmoid saturates", () => {
    const z = S.tensor([-2, 0.5, 3]);
    const y = S.tensor([0, 1, 1]);
    expect(nn.bceWithLogits(z, y).item()).toBeCloseTo(nn.bce(z.sigmoid(), y).item(), 5);
    const far = S.tensor([-40]).requiresGrad();
    const loss = nn.bceWithLogits(far, S.tensor([1]));
    expect(loss.item()).toBeCloseTo(40, 4);
    loss.backward();
    expect(far.grad.item()).toBeCloseTo(-1, 5); // σ(−40) − 1
  });

  it("losses reject predictions and targets of different shapes instead of broadcasting them", () => {
    expect(() => nn.mseLoss(S.zeros([4, 1]), S.zeros([4]))).toThrow(
      "mseLoss: predictions [4,1] and targets [4] differ in shape; broadcasting would compare every prediction with every target. Reshape one to match (e.g. targets.reshape([4,1]))",
    );
    expect(() => nn.bceWithLogits(S.zeros([4, 1]), S.zeros([4]))).toThrow(
      /bceWithLogits: predictions \[4,1\]/,
    );
    expect(() => nn.bce(S.zeros([2]), [1, 0, 1])).toThrow(/bce: predictions \[2\] and targets \[3\]/);
  });
});

describe("mask fill with ±Infinity", () => {
  it("where(mask, s, -Infinity) masks attention scores; softmax then ignores them", () => {
    const s = S.tensor([[1, 2, 3]]).requiresGrad();
    const mask = S.tensor([[1, 1, 0]]);
    const masked = S.where(mask, s, -Infinity);
    expect(Array.from(masked.data())).toEqual([1, 2, -Infinity]);
    const p = masked.softmax(-1);
    expect(p.data()[2]).toBe(0);
    p.mul(S.tensor([[1, 0, 0]]))
      .sum()
      .backward();
    expect(Math.abs(s.grad.data()[2] as number)).toBe(0);
  });

  it("maskedFill, full and arithmetic accept ±Infinity", () => {
    const x = S.tensor([1, 2, 3]);
    expect(Array.from(S.maskedFill(x, S.tensor([0, 1, 0]), Infinity).data())).toEqual([1, Infinity, 3]);
    expect(Array.from(S.full([2], -Infinity).data())).toEqual([-Infinity, -Infinity]);
    expect(Array.from(x.add(-Infinity).data())).toEqual([-Infinity, -Infinity, -Infinity]);
    expect(Array.from(x.maximum(Infinity).data())).toEqual([Infinity, Infinity, Infinity]);
  });
});

describe("linear algebra", () => {
  it("cholesky, solve and solveTriangular agree on a small Gaussian-process system", () => {
    const K = S.tensor([
      [4, 2],
      [2, 3],
    ]);
    const y = S.tensor([2, 1]);
    const L = S.cholesky(K);
    expect((Array.from(L.data()) as number[]).map((v) => Math.round(v * 1e5) / 1e5)).toEqual([
      2, 0, 1, 1.41421,
    ]);
    const viaCholesky = S.solveTriangular(L, S.solveTriangular(L, y, { lower: true }), {
      lower: true,
      transpose: true,
    });
    const direct = S.solve(K, y);
    expect(direct.shape).toEqual([2]);
    const [a, b] = Array.from(direct.data()) as [number, number];
    expect(a).toBeCloseTo(0.5, 5);
    expect(b).toBeCloseTo(0, 5);
    expect(Array.from(viaCholesky.data())[0]).toBeCloseTo(0.5, 5);
  });

  it("says what to do with a matrix that is not positive definite, or singular", () => {
    expect(() =>
      S.cholesky(
        S.tensor([
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toThrow(
      /cholesky: the matrix is not positive definite \(pivot 1 is -3\.00\); make it symmetric and add a small jitter to the diagonal, e\.g\. K\.add\(eye\(n\)\.mul\(1e-6\)\)/,
    );
    expect(() =>
      S.solve(
        S.tensor([
          [1, 2],
          [2, 4],
        ]),
        S.tensor([1, 1]),
      ),
    ).toThrow("solve: the matrix is singular (no usable pivot in column 1)");
    expect(() => S.solve(S.zeros([2, 3]), S.zeros([2]))).toThrow(
      /solve: expects square matrices \[\.\.\., n, n\], got \[2,3\]/,
    );
  });
});
