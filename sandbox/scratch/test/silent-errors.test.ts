/**
 * The three silent gradient errors of issue 16, each pinned with the numbers worked out by hand:
 * padded max pooling over negative inputs, padded average pooling (padding counts as zeros, forward
 * and backward), and matmul whose batch dimensions broadcast on both sides.
 */
import { describe, expect, it } from "vitest";
import { installDirectHost } from "../testing/install.js";

await installDirectHost("cpu");
const S = await import("scratch");

const close = (actual: number[], expected: number[]) =>
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? Number.NaN, 5));

describe("pooling with padding", () => {
  it("maxPool2d sends each window's gradient to its real maximum, never to padding", () => {
    const x = S.tensor([-1, -2, -3, -4], [1, 1, 2, 2]).requiresGrad();
    const y = x.maxPool2d(2, 2, 1);
    expect(Array.from(y.data())).toEqual([-1, -2, -3, -4]);
    y.sum().backward();
    expect(Array.from(x.grad.data())).toEqual([1, 1, 1, 1]);
  });

  it("pooling with a non-square kernel or stride sizes each axis by its own kernel and stride", () => {
    // tfjs's numeric-pad shape rule used the height's kernel and stride for both axes: a 1×5 row
    // pooled with stride [1, 2] stayed 1×5 instead of 1×3.
    const row = S.tensor([1, -2, 3, -4, 5], [1, 1, 1, 5]).requiresGrad();
    const y = row.maxPool2d(1, [1, 2]);
    expect(y.shape).toEqual([1, 1, 1, 3]);
    expect(Array.from(y.data())).toEqual([1, 3, 5]);
    y.sum().backward();
    expect(Array.from(row.grad.data())).toEqual([1, 0, 1, 0, 1]);
    const x = S.tensor([1, 2, 3, 4, 5, 6], [1, 1, 2, 3]);
    close(Array.from(x.avgPool2d([2, 1], [1, 1]).data()), [2.5, 3.5, 4.5]);
    close(Array.from(x.maxPool2d([1, 2], [2, 1]).data()), [2, 3]);
  });

  it("avgPool2d counts padded cells as zeros, forward and backward alike", () => {
    const x = S.tensor([4, 8, 12, 16], [1, 1, 2, 2]).requiresGrad();
    const y = x.avgPool2d(2, 2, 1);
    // Each 2×2 window holds one real cell and three zeros of padding.
    close(Array.from(y.data()), [1, 2, 3, 4]);
    y.sum().backward();
    close(Array.from(x.grad.data()), [0.25, 0.25, 0.25, 0.25]);
  });

  it("avgPool2d with overlapping padded windows matches a hand count", () => {
    // 1×1×3×3 ones, kernel 3, stride 1, padding 1: a corner window holds 4 real cells of 9.
    const x = S.ones([1, 1, 3, 3]).requiresGrad();
    const y = x.avgPool2d(3, 1, 1);
    close(Array.from(y.data()), [4 / 9, 6 / 9, 4 / 9, 6 / 9, 1, 6 / 9, 4 / 9, 6 / 9, 4 / 9]);
    y.sum().backward();
    // Every input cell lies in as many windows as it has neighbours within distance 1 (itself included).
    close(
      Array.from(x.grad.data()),
      [4, 6, 4, 6, 9, 6, 4, 6, 4].map((n) => n / 9),
    );
  });
});

describe("matmul broadcasting batch dimensions on both sides", () => {
  it("[2,1,3,4] @ [5,4,2] holds [2,5,3,2] values and gives both gradients", () => {
    const a = S.arange(24).reshape([2, 1, 3, 4]).div(10).requiresGrad();
    const b = S.arange(40).reshape([5, 4, 2]).div(10).requiresGrad();
    const y = a.matmul(b);
    expect(y.shape).toEqual([2, 5, 3, 2]);
    expect(y.data().length).toBe(60);
    const av = a.data();
    const bv = b.data();
    // y[i,j,r,c] = Σ_k a[i,0,r,k] · b[j,k,c]
    const expected: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 5; j++)
        for (let r = 0; r < 3; r++)
          for (let c = 0; c < 2; c++) {
            let s = 0;
            for (let k = 0; k < 4; k++) s += (av[i * 12 + r * 4 + k] ?? 0) * (bv[j * 8 + k * 2 + c] ?? 0);
            expected.push(s);
          }
    close(Array.from(y.data()), expected);
    y.sum().backward();
    // d(Σy)/db[j,k,c] = Σ_{i,r} a[i,0,r,k]: the same for every j and c.
    const gb: number[] = [];
    for (let j = 0; j < 5; j++)
      for (let k = 0; k < 4; k++)
        for (let c = 0; c < 2; c++) {
          let s = 0;
          for (let i = 0; i < 2; i++) for (let r = 0; r < 3; r++) s += av[i * 12 + r * 4 + k] ?? 0;
          gb.push(s);
        }
    close(Array.from(b.grad.data()), gb);
    // d(Σy)/da[i,0,r,k] = Σ_{j,c} b[j,k,c].
    const ga: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let r = 0; r < 3; r++)
        for (let k = 0; k < 4; k++) {
          let s = 0;
          for (let j = 0; j < 5; j++) for (let c = 0; c < 2; c++) s += bv[j * 8 + k * 2 + c] ?? 0;
          ga.push(s);
        }
    close(Array.from(a.grad.data()), ga);
  });

  it("rejects mismatched inner dimensions naming matmul and both shapes", () => {
    expect(() => S.zeros([2, 3]).matmul(S.zeros([2, 3]))).toThrow(/matmul/);
  });
});
