import { describe, expect, it } from "vitest";
import { liveCurves, MARKED_POINTS, nonFiniteCaption } from "./live-metrics.js";

describe("liveCurves", () => {
  it("draws each non-empty metric over its steps, in order of first appearance", () => {
    const curves = liveCurves({
      loss: [
        { step: 0, value: 3 },
        { step: 1, value: 2 },
      ],
      empty: [],
      acc: [{ step: 0, value: 0.5 }],
    });
    expect(curves.map((c) => c.name)).toEqual(["loss", "acc"]);
    expect(curves[0]).toEqual({
      name: "loss",
      steps: [0, 1],
      values: [3, 2],
      nonFinite: [],
      nonFiniteCount: 0,
    });
  });

  it("leaves non-finite values as gaps and names each", () => {
    const [curve] = liveCurves({
      loss: [
        { step: 0, value: 1 },
        { step: 1, value: Number.NaN },
        { step: 2, value: Infinity },
        { step: 3, value: -Infinity },
      ],
    });
    expect(curve!.values).toEqual([1, null, null, null]);
    expect(curve!.nonFinite).toEqual([
      { step: 1, value: "NaN" },
      { step: 2, value: "Infinity" },
      { step: 3, value: "-Infinity" },
    ]);
    expect(nonFiniteCaption(curve!)).toBe("NaN at step 1, Infinity at step 2, -Infinity at step 3");
  });

  it("sorts explicit steps logged out of order, and caps the marks", () => {
    const series = Array.from({ length: 50 }, (_, i) => ({ step: 49 - i, value: Number.NaN }));
    const [curve] = liveCurves({ loss: series });
    expect(curve!.steps.slice(0, 3)).toEqual([0, 1, 2]);
    expect(curve!.nonFinite).toHaveLength(MARKED_POINTS);
    expect(curve!.nonFiniteCount).toBe(50);
    expect(nonFiniteCaption(curve!)).toBe(
      "NaN at step 0, NaN at step 1, NaN at step 2 (50 non-finite points)",
    );
  });

  it("has no caption when every value is finite", () => {
    expect(nonFiniteCaption(liveCurves({ loss: [{ step: 0, value: 1 }] })[0]!)).toBe("");
  });
});
