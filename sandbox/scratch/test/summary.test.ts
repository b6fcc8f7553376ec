import { describe, expect, it } from "vitest";
import { summarizeEvent } from "../summary.js";

describe("summarizeEvent", () => {
  it("summarises plots, metrics and checks on one line", () => {
    const t = 0;
    expect(
      summarizeEvent({
        type: "plot",
        t,
        plot: { id: "a", kind: "line", title: "loss", series: [{ x: [0, 1, 2], y: [1.5, 0.75, 0.5] }] },
      }),
    ).toBe('plot line "loss": 1 series, 3 points, y 0.5…1.5, last 0.5');
    expect(
      summarizeEvent({
        type: "plot",
        t,
        plot: { id: "b", kind: "scatter", series: [{ x: [0, 1], y: [2, 3], labels: [0, 1] }] },
      }),
    ).toBe("plot scatter: 1 series, 2 points, y 2…3, 2 labels");
    expect(
      summarizeEvent({
        type: "plot",
        t,
        plot: { id: "c", kind: "image", values: [0, 1, 0.5, 0], shape: [2, 2] },
      }),
    ).toBe("plot image: 2×2, values 0…1");
    expect(
      summarizeEvent({ type: "plot", t, plot: { id: "d", kind: "histogram", values: [1, 2, 3], bins: 2 } }),
    ).toBe("plot histogram: 3 values in 2 bins, 1…3");
    // NaN and ±Infinity: the range is of the finite values, and they are named as under the room's plot.
    expect(
      summarizeEvent({
        type: "plot",
        t,
        plot: { id: "e", kind: "line", series: [{ x: [0, 1, 2, 3], y: [2, Infinity, -Infinity, NaN] }] },
      }),
    ).toBe(
      "plot line: 1 series, 4 points, y 2…2, last NaN; non-finite: Infinity at x = 1, -Infinity at x = 2, NaN at x = 3",
    );
    expect(
      summarizeEvent({ type: "plot", t, plot: { id: "f", kind: "heatmap", values: [NaN], shape: [1, 1] } }),
    ).toBe("plot heatmap: 1×1, values none finite; non-finite: NaN at index 0");
    expect(summarizeEvent({ type: "metric", t, name: "loss", step: 4, value: 0.123456 })).toBe(
      "metric loss[4] = 0.1235",
    );
    expect(
      summarizeEvent({
        type: "check",
        t,
        check: { name: "shape", passed: false, message: "expected shape [2], got [3]", hint: "wrong shape" },
      }),
    ).toBe("✗ shape: expected shape [2], got [3] (wrong shape)");
    expect(summarizeEvent({ type: "check", t, check: { name: "ok", passed: true } })).toBe("✓ ok");
    expect(summarizeEvent({ type: "console", t, level: "log", text: "hi" })).toBeNull();
  });
});
