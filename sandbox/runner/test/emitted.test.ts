import { describe, expect, it } from "vitest";
import { EmitError, EMIT_CAPS, validateMetric, validatePlot } from "../emitted.js";

describe("emitted payload validation", () => {
  it("copies only known fields, so __proto__ and constructor keys pollute nothing", () => {
    const payload = JSON.parse(
      '{"kind":"line","title":"t","series":[{"y":[1,2],"__proto__":{"x":[5,6]}}],"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    ) as unknown;
    const plot = validatePlot(payload, "plot-1");
    expect(plot).toEqual({ id: "plot-1", kind: "line", title: "t", series: [{ x: [0, 1], y: [1, 2] }] });
    expect(Object.getPrototypeOf(plot)).toBe(Object.prototype);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    const metric = validateMetric(JSON.parse('{"name":"m","step":1,"value":2,"__proto__":{"name":"evil"}}'));
    expect(metric).toEqual({ name: "m", step: 1, value: 2 });
  });

  it("ignores inherited fields", () => {
    const inherited = Object.create({ kind: "line", series: [] }) as object;
    expect(() => validatePlot(inherited, "p")).toThrow(EmitError);
  });

  it("bounds sizes", () => {
    const big = { kind: "line", series: [{ y: new Array(EMIT_CAPS.pointsPerPlot + 1).fill(0) }] };
    expect(() => validatePlot(big, "p")).toThrow(/more than 100000 values/);
    const many = { kind: "line", series: new Array(EMIT_CAPS.seriesPerPlot + 1).fill({ y: [1] }) };
    expect(() => validatePlot(many, "p")).toThrow(/series/);
    expect(
      validatePlot({ kind: "line", title: "x".repeat(5000), series: [] }, "p").title?.length,
    ).toBeLessThan(300);
  });

  it("checks kinds, shapes and numbers", () => {
    expect(() => validatePlot({ kind: "pie" }, "p")).toThrow(/kind/);
    expect(() => validatePlot({ kind: "heatmap", values: [1, 2], shape: [2, 2] }, "p")).toThrow(/shape/);
    expect(() => validatePlot({ kind: "heatmap", values: [1, 2], shape: [-1, -2] }, "p")).toThrow(/shape/);
    expect(() => validatePlot({ kind: "scatter", series: [{ x: [1], y: [1, 2] }] }, "p")).toThrow(
      /same length/,
    );
    expect(() => validatePlot({ kind: "histogram", values: [1], bins: 0.5 }, "p")).toThrow(/bins/);
    expect(() => validatePlot({ kind: "line", series: [{ y: ["1"] }] }, "p")).toThrow(/numbers/);
    expect(validatePlot({ kind: "line", series: [{ y: [null] }] }, "p").series?.[0]?.y[0]).toBeNaN();
    // scratch/plot sends NaN and ±Infinity by name, in x, y, labels and values alike.
    const named = validatePlot(
      { kind: "scatter", series: [{ x: ["-Infinity", 1], y: ["Infinity", "NaN"], labels: [0, "NaN"] }] },
      "p",
    ).series?.[0];
    expect(named?.x).toEqual([-Infinity, 1]);
    expect(named?.y[0]).toBe(Infinity);
    expect(named?.y[1]).toBeNaN();
    expect(named?.labels?.[1]).toBeNaN();
    const heat = validatePlot(
      { kind: "heatmap", values: [1, "-Infinity", "Infinity", "NaN"], shape: [2, 2] },
      "h",
    );
    expect(heat.values?.slice(0, 3)).toEqual([1, -Infinity, Infinity]);
    expect(heat.values?.[3]).toBeNaN();
    expect(() => validatePlot({ kind: "line", series: [{ y: ["inf"] }] }, "p")).toThrow(/only numbers/);
    expect(() => validateMetric({ name: "", step: 0, value: 1 })).toThrow(/name/);
    expect(() => validateMetric({ name: "m", step: "0", value: 1 })).toThrow(/step/);
    expect(() => validateMetric({ name: "m", step: 0, value: "1" })).toThrow(/value/);
    expect(() => validateMetric({ name: "m", step: 0, value: "Inf" })).toThrow(/value/);
  });

  it("reads non-finite metric values sent by name, and no other string", () => {
    expect(validateMetric({ name: "m", step: 0, value: "-Infinity" }).value).toBe(-Infinity);
    expect(validateMetric({ name: "m", step: 0, value: "Infinity" }).value).toBe(Infinity);
    expect(validateMetric({ name: "m", step: 0, value: "NaN" }).value).toBeNaN();
    expect(validateMetric({ name: "m", step: 0, value: null }).value).toBeNaN();
    expect(() => validateMetric({ name: "m", step: 0, value: "1" })).toThrow(/number/);
    expect(() => validateMetric({ name: "m", step: 0, value: "__proto__" })).toThrow(/number/);
  });
});
