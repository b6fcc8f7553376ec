/**
 * Padded max pooling on the wasm backend, where the tfjs MaxPoolGrad kernel sent a padded
 * window's gradient to the wrong cell ([1, 0, 0, 0] instead of [1, 1, 1, 1]): the runner computes
 * on wasm, so the fix is pinned there as well as on cpu (silent-errors.test.ts).
 */
import { expect, it } from "vitest";
import { installDirectHost } from "../testing/install.js";

await installDirectHost("wasm");
const S = await import("scratch");

it("maxPool2d with padding over negative inputs gives every real maximum its gradient (wasm)", () => {
  expect(S.backend()).toBe("wasm");
  const x = S.tensor([-1, -2, -3, -4], [1, 1, 2, 2]).requiresGrad();
  const y = x.maxPool2d(2, 2, 1);
  expect(Array.from(y.data())).toEqual([-1, -2, -3, -4]);
  y.sum().backward();
  expect(Array.from(x.grad.data())).toEqual([1, 1, 1, 1]);
});

it("avgPool2d with padding divides by the full window forward and backward (wasm)", () => {
  const x = S.tensor([4, 8, 12, 16], [1, 1, 2, 2]).requiresGrad();
  const y = x.avgPool2d(2, 2, 1);
  expect(Array.from(y.data())).toEqual([1, 2, 3, 4]);
  y.sum().backward();
  expect(Array.from(x.grad.data())).toEqual([0.25, 0.25, 0.25, 0.25]);
});
