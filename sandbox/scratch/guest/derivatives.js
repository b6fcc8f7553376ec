// @ts-check
/**
 * The derivatives the engine takes from fused host kernels, written out with ordinary ops so they
 * can be read (and checked: test/derivatives.test.ts runs both on the same inputs and compares).
 * Each function takes what the fused kernel takes and returns the gradient of the op's input
 * given the gradient `g` of its output. The engine calls the fused kernel because one host call
 * per op is cheaper than five.
 */

/** @typedef {import("./tensor.js").Tensor} T */

/**
 * relu(x) = max(x, 0): dx = g where x > 0, else 0.
 * @param {T} x
 * @param {T} g
 */
export const reluBackward = (x, g) => g.mul(x.gt(0));

/**
 * y = σ(x): dx = g · y · (1 − y).
 * @param {T} y
 * @param {T} g
 */
export const sigmoidBackward = (y, g) => g.mul(y).mul(y.neg().add(1));

/**
 * y = tanh(x): dx = g · (1 − y²).
 * @param {T} y
 * @param {T} g
 */
export const tanhBackward = (y, g) => g.mul(y.pow(2).neg().add(1));

/**
 * y = softmax(x) along `axis`: dx = y · (g − Σ g·y).
 * @param {T} y
 * @param {T} g
 * @param {number} axis
 */
export const softmaxBackward = (y, g, axis) => y.mul(g.sub(g.mul(y).sum(axis, true)));

/**
 * y = logSoftmax(x) along `axis`: dx = g − softmax(x) · Σ g, with softmax(x) = exp(y).
 * @param {T} y
 * @param {T} g
 * @param {number} axis
 */
export const logSoftmaxBackward = (y, g, axis) => g.sub(y.exp().mul(g.sum(axis, true)));

/**
 * y = max (or min) of x over `axes`, y and g kept with size-1 axes: the elements equal to the
 * extreme get g, tied ones sharing it equally: dx = g · [x = y] / #{x = y}.
 * @param {T} x
 * @param {T} y
 * @param {T} g
 * @param {number[] | null} axes
 */
export function extremeBackward(x, y, g, axes) {
  const isExtreme = x.eq(y);
  return isExtreme.mul(g).div(isExtreme.sum(axes ?? undefined, true));
}
