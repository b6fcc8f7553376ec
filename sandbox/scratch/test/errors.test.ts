/**
 * Errors and warnings a student can act on, each pinned by its text: errors name the scratch
 * function and the shapes; targeted messages for matmul operands in the wrong order or
 * untransposed, shapes that do not broadcast, a tensor that stopped being a leaf, one-hot labels,
 * gradients never zeroed, and a loss or metric that turned NaN (naming the op that produced it).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import * as tf from "@tensorflow/tfjs-core";
import { withShapes } from "../../kernel/shape-context.js";
import { installDirectHost } from "../testing/install.js";

const host = await installDirectHost("cpu");
const S = await import("scratch");

afterEach(() => vi.restoreAllMocks());

describe("matmul", () => {
  it("suggests the transpose an untransposed operand needs", () => {
    expect(() => S.zeros([4, 3]).matmul(S.zeros([5, 3]))).toThrow(
      "matmul: cannot multiply [4,3] by [5,3]: the first operand's last axis (3) must equal the second's next-to-last axis (5); did you mean x.matmul(y.transpose()), giving [4, 5]?",
    );
    expect(() => S.zeros([3, 4]).matmul(S.zeros([3, 5]))).toThrow(
      /did you mean x\.transpose\(\)\.matmul\(y\), giving \[4, 5\]\?/,
    );
  });

  it("says when the operands are in the wrong order", () => {
    expect(() => S.zeros([2, 3]).matmul(S.zeros([4, 2]))).toThrow(
      "matmul: cannot multiply [2,3] by [4,2]: the first operand's last axis (3) must equal the second's next-to-last axis (4); are the operands in the wrong order? y.matmul(x) fits, giving [4, 3]",
    );
  });

  it("explains a vector operand", () => {
    expect(() => S.zeros([3]).matmul(S.zeros([3, 2]))).toThrow(
      "matmul: needs matrices (rank ≥ 2), got [3] and [3,2]; make the first operand a row with .reshape([1, -1]) or a column with .reshape([-1, 1])",
    );
  });
});

describe("errors name the scratch function, never a tfjs op", () => {
  it("shapes that do not broadcast name the op, both shapes and the clashing axis", () => {
    expect(() => S.zeros([2, 3]).add(S.zeros([4]))).toThrow(
      "add: shapes [2,3] and [4] do not broadcast: axis -1 has sizes 3 and 4 (sizes must be equal, or one of them 1)",
    );
  });

  it("a host failure is re-raised under the scratch name", () => {
    expect(() => S.zeros([2, 3]).clamp(0, 1).reshape([4])).toThrow(/^reshape: /);
    expect(() => S.solveTriangular(S.zeros([2, 2]), S.zeros([2]))).toThrow(
      /^solveTriangular: the matrix is singular/,
    );
  });
});

describe("a host kernel's own refusal carries the shapes of the call", () => {
  it("a singular matrix names solve and both operands' shapes", () => {
    const singular = S.tensor([
      [1, 2],
      [2, 4],
    ]);
    expect(() => S.solve(singular, S.tensor([[1], [1]]))).toThrow(
      "solve: the matrix is singular (no usable pivot in column 1); called with shapes [2,2] and [2,1]",
    );
    expect(() => S.solveTriangular(S.zeros([3, 3]), S.ones([3, 2]))).toThrow(
      /^solveTriangular: the matrix is singular \(diagonal entry 0 is 0\); called with shapes \[3,3\] and \[3,2\]$/,
    );
  });

  it("withShapes lists tensor shapes (lists included, at most six), and leaves a message naming a shape alone", () => {
    const t = (...shape: number[]) => tf.zeros(shape);
    expect(withShapes("op failed inside the tensor backend", [t(2, 3), 1, [0, 1], t()])).toBe(
      "op failed inside the tensor backend; called with shapes [2,3] and []",
    );
    expect(withShapes("concat: bad", [Array.from({ length: 8 }, () => t(1)), 0])).toBe(
      "concat: bad; called with shapes [1], [1], [1], [1], [1], [1] and 2 more",
    );
    expect(withShapes("x: shape [2,3] is wrong", [t(4)])).toBe("x: shape [2,3] is wrong");
    expect(withShapes("arange: step must not be 0", [0, 1, 0])).toBe("arange: step must not be 0");
  });
});

describe("autograd mistakes", () => {
  it("explains a tensor that stopped being a leaf", () => {
    let w = S.tensor([1, 2]).requiresGrad();
    w.mul(w).sum().backward();
    w = w.sub(w.grad.mul(0.1));
    w.mul(w).sum().backward();
    expect(() => w.grad).toThrow(
      ".grad: this tensor (shape [2]) was computed by an op, so backward() keeps no gradient for it: only leaves marked with requiresGrad() get .grad. An update like `w = w.sub(w.grad.mul(lr))` replaces the leaf w by a computed tensor; write `w = noGrad(() => w.sub(w.grad.mul(lr))).requiresGrad()` or update in place with w.assign(…)",
    );
  });

  it("warns once when a gradient keeps growing because it is never zeroed", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const w = S.tensor([1, 2, 3]).requiresGrad();
    for (let i = 0; i < 25; i++) w.mul(2).sum().backward();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      "warning: the gradient of a tensor of shape [3] has been added up over 20 backward() calls without being cleared, so it keeps growing. Call optimizer.zeroGrad() (or t.zeroGrad()) before each backward()",
    );
    warn.mockClear();
    const v = S.tensor([1]).requiresGrad();
    for (let i = 0; i < 25; i++) {
      v.zeroGrad();
      v.mul(2).sum().backward();
    }
    expect(warn).not.toHaveBeenCalled();
  });

  it("rejects one-hot labels to crossEntropy with what to pass instead", () => {
    const logits = S.zeros([2, 3]);
    expect(() => S.nn.crossEntropy(logits, S.oneHot([0, 2], 3))).toThrow(
      "crossEntropy: labels [2,3] look one-hot; pass the class indices [2] instead, e.g. labels.argmax(1)",
    );
  });
});

describe("a loss that turns NaN", () => {
  it("names the op that first produced a non-finite value, then repeats it for the metric", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const p = S.tensor([0.5, 0, 0.25]).requiresGrad();
    const loss = p.log().mul(-1).mean();
    loss.backward();
    expect(warn).toHaveBeenCalledWith(
      "warning: backward() from a non-finite loss; the loss is Infinity: the first non-finite value came from log (inputs [3], all finite): a log of 0 or of a negative number?",
    );
    S.metrics.log("loss", loss);
    expect(warn).toHaveBeenLastCalledWith(
      'warning: metric "loss" is Infinity at step 0; the loss is Infinity: the first non-finite value came from log (inputs [3], all finite): a log of 0 or of a negative number?',
    );
    expect(host.events.at(-1)).toMatchObject({ type: "metric" });
  });
});
