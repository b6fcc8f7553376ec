/**
 * Training programs written as attendees would write them (sandbox/scratch/programs/*.js, importing
 * "scratch"), run in-process on the wasm backend through the direct host; runner.test.ts runs the
 * same sources inside the sandbox.
 */
import { describe, expect, it } from "vitest";
import { installDirectHost } from "../testing/install.js";

const host = await installDirectHost("wasm");

type Exports = Record<string, unknown>;
const load = (file: string) => import(`../programs/${file}.js`) as Promise<Exports>;

describe("training programs (direct host, wasm)", () => {
  it("the guaranteed core API (docs/scratch.md) works verbatim", async () => {
    const { completed } = await load("guaranteed-api");
    expect(completed).toHaveLength(5);
  });

  it("an MLP reaches > 95% training accuracy on spirals", async () => {
    const { accuracy } = await load("spirals-mlp");
    expect(accuracy).toBeGreaterThan(0.95);
    const plots = host.events.filter((e) => e.type === "plot").map((e) => e.payload as { id: string });
    expect(plots.some((p) => p.id === "loss")).toBe(true);
  });

  it("hand-written gradient descent converges to the closed-form regression", async () => {
    const { learned, closed } = (await load("linear-regression")) as { learned: number[]; closed: number[] };
    learned.forEach((v, i) => expect(v).toBeCloseTo(closed[i]!, 3));
  });

  it("a 1,000-step training loop leaves no tensors alive", async () => {
    const before = host.live;
    const { after10, after1000, leftAlive } = await load("disposal");
    expect(after1000).toBe(after10);
    expect(leftAlive).toBe(0);
    expect(host.live).toBe(before);
  });

  it("a small CNN learns MNIST above 90% test accuracy", async () => {
    const { accuracy } = await load("mnist-cnn");
    expect(accuracy).toBeGreaterThan(0.9);
  }, 240_000);
});
