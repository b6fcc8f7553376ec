import { describe, expect, it } from "vitest";
import { plotNonFinite } from "../../sandbox/non-finite.js";
import { drawable, histogramBins, plotPixels, scatterGroups, viridis } from "./plot-data.js";

describe("plot data", () => {
  it("bins a histogram over the value range, ignoring non-finite values", () => {
    const bins = histogramBins([0, 1, 2, 3, NaN, Infinity], 2);
    expect(bins.counts).toEqual([2, 2]);
    expect(bins.centers).toEqual([0.75, 2.25]);
    expect(histogramBins([5, 5], 10)).toEqual({ centers: [5], counts: [2] });
    expect(histogramBins([], 10)).toEqual({ centers: [], counts: [] });
  });
  it("splits a labelled scatter series into one group per class", () => {
    const groups = scatterGroups([{ x: [1, 2, 3], y: [4, 5, 6], labels: [1, 0, 1] }]);
    expect(groups).toEqual([
      { name: "y = 0", x: [2], y: [5] },
      { name: "y = 1", x: [1, 3], y: [4, 6] },
    ]);
  });
  it("maps a heatmap through viridis and a [0,1] grey image to bytes", () => {
    expect(viridis(0)).toEqual([68, 1, 84]);
    expect(viridis(1)).toEqual([253, 231, 37]);
    const heat = plotPixels({ id: "h", kind: "heatmap", values: [0, 1], shape: [1, 2] })!;
    expect([...heat.rgba]).toEqual([68, 1, 84, 255, 253, 231, 37, 255]);
    const grey = plotPixels({ id: "i", kind: "image", values: [0, 0.5, 1, 1], shape: [2, 2] })!;
    expect(grey.width).toBe(2);
    expect([...grey.rgba.slice(4, 8)]).toEqual([128, 128, 128, 255]);
    const rgb = plotPixels({ id: "c", kind: "image", values: [255, 0, 0], shape: [1, 1, 3] })!;
    expect([...rgb.rgba]).toEqual([255, 0, 0, 255]);
  });
  it("refuses values that do not fill the shape", () => {
    expect(plotPixels({ id: "x", kind: "image", values: [1, 2], shape: [2, 2] })).toBeNull();
    expect(plotPixels({ id: "x", kind: "image", values: [], shape: [] })).toBeNull();
  });
});

describe("non-finite plot values", () => {
  it("names NaN and ±Infinity points with their x, and counts them all", () => {
    const spec = {
      id: "p",
      kind: "line" as const,
      series: [{ x: [0, 1, 2, 3, 4], y: [1, Infinity, -Infinity, NaN, NaN] }],
    };
    expect(plotNonFinite(spec)).toEqual({
      count: 4,
      caption: "Infinity at x = 1, -Infinity at x = 2, NaN at x = 3 (4 non-finite points)",
    });
    expect(plotNonFinite({ ...spec, series: [{ x: [0, 1], y: [1, 2] }] })).toEqual({ count: 0, caption: "" });
  });

  it("names the series when there are several, a non-finite x, and values of images and histograms", () => {
    const spec = {
      id: "p",
      kind: "scatter" as const,
      series: [
        { name: "train", x: [0, 1], y: [1, 2] },
        { name: "test", x: [-Infinity, 1], y: [3, NaN] },
      ],
    };
    expect(plotNonFinite(spec).caption).toBe("test: x -Infinity at y = 3, test: NaN at x = 1");
    const heat = { id: "h", kind: "heatmap" as const, values: [1, -Infinity, 2, NaN], shape: [2, 2] };
    expect(plotNonFinite(heat).caption).toBe("-Infinity at index 1, NaN at index 3");
  });

  it("draws non-finite y as gaps and leaves out points with a non-finite x", () => {
    expect(drawable([0, 1, Infinity, 3], [1, -Infinity, 2, NaN])).toEqual({
      x: [0, 1, 3],
      y: [1, null, null],
    });
  });
});
