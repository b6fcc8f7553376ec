/** Data sets from the npm packages, seeded generators, splitting and batching. */
import { describe, expect, it } from "vitest";
import { installDirectHost } from "../testing/install.js";

const host = await installDirectHost("cpu");
const S = await import("scratch");
const D = S.data;

describe("curriculum data sets", () => {
  it("MNIST: a seeded draw of digits in 0..1 with labels", () => {
    const a = D.mnist({ n: 50, seed: 7 });
    expect(a.x.shape).toEqual([50, 784]);
    expect(a.y.shape).toEqual([50]);
    expect(a.x.max().item()).toBeLessThanOrEqual(1);
    expect(a.x.min().item()).toBeGreaterThanOrEqual(0);
    const labels = a.y.toArray() as number[];
    expect(new Set(labels).size).toBeGreaterThan(5);
    expect(D.mnist({ n: 50, seed: 7 }).y.toArray()).toEqual(labels);
    expect(D.mnist({ n: 50, seed: 8 }).y.toArray()).not.toEqual(labels);
    expect(() => D.mnist({ n: 0 })).toThrow(/n must be between 1 and 10000/);
  });

  it("iris, penguins, Boston housing and wages as tensors", () => {
    const iris = D.iris();
    expect(iris.x.shape).toEqual([150, 4]);
    expect(iris.classes).toEqual(["setosa", "versicolor", "virginica"]);
    const penguins = D.penguins();
    expect(penguins.x.shape).toEqual([342, 4]); // 2 of 344 rows lack measurements
    expect(penguins.classes).toEqual(["Adelie", "Chinstrap", "Gentoo"]);
    const boston = D.boston();
    expect(boston.x.shape).toEqual([506, 13]);
    expect(boston.y.shape).toEqual([506, 1]);
    const wages = D.wages();
    expect(wages.x.shape).toEqual([534, 1]);
    expect(wages.table.columns).toContain("education");
  });

  it("cars, stocks, S&P 500, names and the novel", () => {
    expect(D.cars().columns).toContain("Horsepower");
    const aapl = D.stocks({ symbol: "AAPL" });
    expect(aapl.price.shape[0]).toBe(aapl.dates.length);
    expect(aapl.dates[0]).toBe("Jan 1 2000");
    expect(() => D.stocks({ symbol: "NOPE" })).toThrow(/unknown symbol/);
    expect(D.sp500().price.shape[0]).toBeGreaterThan(100);
    expect(D.names({ sex: "female" })[0]).toBe("Aaren");
    expect(D.names().length).toBeGreaterThan(7000);
    expect(D.mobyDick()).toMatch(/Call me Ishmael/);
    expect(() => D.table("nope")).toThrow(/unknown table "nope"/);
  });
});

describe("generators, split and batches", () => {
  it("generators are deterministic per seed and have the documented shapes", () => {
    const s = D.spirals({ n: 10, classes: 3, seed: 1 });
    expect(s.x.shape).toEqual([30, 2]);
    expect(D.spirals({ n: 10, classes: 3, seed: 1 }).x.toArray()).toEqual(s.x.toArray());
    expect(D.moons({ n: 20, seed: 1 }).x.shape).toEqual([20, 2]);
    const b = D.blobs({ n: 30, centers: 3, dims: 4, seed: 1 });
    expect(b.x.shape).toEqual([30, 4]);
    expect(b.centers).toHaveLength(3);
    expect(D.sine({ n: 15, seed: 1 }).y.shape).toEqual([15, 1]);
  });

  it("trainTestSplit keeps rows paired", () => {
    const x = S.arange(10).reshape([10, 1]);
    const y = S.arange(10).mul(10);
    const { xTrain, yTrain, xTest, yTest } = D.trainTestSplit(x, y, { testFraction: 0.3, seed: 0 });
    expect(xTest.shape).toEqual([3, 1]);
    expect(xTrain.shape).toEqual([7, 1]);
    expect(yTrain.toArray()).toEqual((xTrain.toArray() as number[][]).map((r) => r[0]! * 10));
    expect(yTest.toArray()).toEqual((xTest.toArray() as number[][]).map((r) => r[0]! * 10));
  });

  it("batches cover every row once and free each batch when the loop moves on", () => {
    const x = S.arange(10).reshape([10, 1]);
    const y = S.arange(10);
    const before = host.live;
    const seen: number[] = [];
    for (const batch of D.batches(x, y, { batchSize: 4, seed: 3 })) {
      seen.push(...(batch.y.toArray() as number[]));
      expect(batch.x.shape[0]).toBeLessThanOrEqual(4);
    }
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(host.live).toBe(before);
  });
});

describe("plot and metrics events", () => {
  it("emit PlotSpecs and metric points", () => {
    host.events.length = 0;
    S.plot.line([3, 2, 1], { title: "loss", id: "loss" });
    S.plot.line({ train: [1, 2], test: [2, 3] }, { x: [10, 20] });
    S.plot.scatter(
      S.tensor([
        [0, 1],
        [2, 3],
      ]),
      { labels: [0, 1] },
    );
    S.plot.image(S.zeros([2, 3]));
    S.plot.heatmap(
      [
        [1, 2],
        [3, 4],
      ],
      { title: "confusion" },
    );
    S.plot.histogram(S.tensor([1, 2, 2, 3]), { bins: 3 });
    S.metrics.log("loss", S.tensor(0.5));
    S.metrics.log("loss", 0.25);
    expect(host.events.map((e) => e.payload)).toEqual([
      { id: "loss", kind: "line", title: "loss", series: [{ x: [0, 1, 2], y: [3, 2, 1] }] },
      {
        id: "plot-1",
        kind: "line",
        series: [
          { name: "train", x: [10, 20], y: [1, 2] },
          { name: "test", x: [10, 20], y: [2, 3] },
        ],
      },
      { id: "plot-2", kind: "scatter", series: [{ x: [0, 2], y: [1, 3], labels: [0, 1] }] },
      { id: "plot-3", kind: "image", values: [0, 0, 0, 0, 0, 0], shape: [2, 3] },
      { id: "plot-4", kind: "heatmap", title: "confusion", values: [1, 2, 3, 4], shape: [2, 2] },
      { id: "plot-5", kind: "histogram", values: [1, 2, 2, 3], bins: 3 },
      { name: "loss", step: 0, value: 0.5 },
      { name: "loss", step: 1, value: 0.25 },
    ]);
    expect(host.events.map((e) => e.type)).toEqual([...Array(6).fill("plot"), "metric", "metric"]);
  });
});
