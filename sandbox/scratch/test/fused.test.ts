/**
 * The fused training path (kernels/fused.ts, adamSteps, sgdSteps, batched frees) computes
 * bit for bit what the op-by-op path computes, on the wasm backend the room, the CLI and verify
 * use — so switching a program to it changed no number — and it does so in few host calls: a
 * training step of the spirals MLP is counted.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { installDirectHost } from "../testing/install.js";
import { floatBits } from "./float-bits.js";

const host = await installDirectHost("wasm");
const S = await import("scratch");

interface T {
  handle: number;
  shape: number[];
  grad: T | null;
  data(): Float32Array;
  item(): number;
  matmul(y: T): T;
  add(y: T): T;
  relu(): T;
  logSoftmax(axis: number): T;
  mul(y: T | number): T;
  sum(): T;
  div(y: number): T;
  backward(): void;
  dispose(): void;
  requiresGrad(): T;
  zeroGrad(): void;
}
interface Layer {
  weight: T;
  bias: T;
  forward(x: T): T;
  parameters(): T[];
}
interface Opt {
  zeroGrad(): void;
  step(): void;
}
const nn = S.nn as unknown as {
  Linear: new (i: number, o: number) => Layer;
  ReLU: new () => Layer;
  Sequential: new (...layers: Layer[]) => Layer;
  crossEntropy(logits: T, labels: T | number[]): T;
};
const optim = S.optim as unknown as {
  Adam: new (params: T[], o: object) => Opt;
  SGD: new (params: T[], o: object) => Opt;
};
const tidy = S.tidy as <R>(fn: () => R) => R;
/** The bits of a tensor's values (every NaN as the one quiet NaN, float-bits.ts). */
const bits = (t: T) => floatBits(t.data());

/** Two identical MLPs (same seed) on the same spiral data. */
function twins() {
  const make = () => {
    S.seed(7);
    return new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Linear(16, 3));
  };
  const { x, y } = (S.data as unknown as { spirals(o: object): { x: T; y: T } }).spirals({
    n: 20,
    classes: 3,
    seed: 1,
  });
  return { a: make(), b: make(), x, y };
}

/** The same MLP forward and loss written op by op (matmul, add, relu, logSoftmax, mul, sum, div). */
function opByOp(model: Layer, x: T, y: T): T {
  const [l1, , l2] = (model as unknown as { layers: Layer[] }).layers as [Layer, Layer, Layer];
  const h = x.matmul(l1.weight).add(l1.bias).relu();
  const logits = h.matmul(l2.weight).add(l2.bias);
  const targets = (S.oneHot as unknown as (l: T, d: number) => T)(y, 3);
  return logits.logSoftmax(1).mul(targets).sum().div(-logits.shape[0]!);
}

beforeEach(() => {
  host.freeAll();
});

describe("fused = op by op, bit for bit (wasm)", () => {
  it("Linear + crossEntropy: the loss and every parameter gradient", () => {
    const { a, b, x, y } = twins();
    const fused = nn.crossEntropy(a.forward(x), y);
    const plain = opByOp(b, x, y);
    expect(bits(fused)).toEqual(bits(plain));
    fused.backward();
    plain.backward();
    a.parameters().forEach((p, i) =>
      expect(bits(p.grad!), `gradient ${i}`).toEqual(bits(b.parameters()[i]!.grad!)),
    );
  });

  it("crossEntropy with labels given as a list equals the tensor form", () => {
    const { a, x, y } = twins();
    const labels = Array.from(y.data());
    expect(bits(nn.crossEntropy(a.forward(x), labels))).toEqual(bits(nn.crossEntropy(a.forward(x), y)));
  });

  it("crossEntropy's saved log softmax lives and dies with the loss (labels as a tensor or a list)", () => {
    const { a, x, y } = twins();
    const logits = a.forward(x);
    const live = host.live;
    for (const labels of [y, Array.from(y.data())]) {
      const loss = nn.crossEntropy(logits, labels);
      expect(host.live).toBe(live + (labels === y ? 2 : 3)); // the loss, the log softmax (the labels)
      loss.dispose();
      expect(host.live).toBe(live);
    }
  });

  it("the NaN finder still names crossEntropy when its loss overflows from finite logits", async () => {
    const { firstNonFinite } = (await import("scratch/nonfinite")) as {
      firstNonFinite(root: T): string | null;
    };
    const logits = S.tensor([
      [3e38, -3e38],
      [0, 1],
    ]).requiresGrad() as unknown as T;
    expect(firstNonFinite(nn.crossEntropy(logits, [1, 0]))).toContain(
      "came from crossEntropy (inputs [2,2], all finite): logits of ±Infinity or NaN?",
    );
  });

  for (const [name, options] of [
    ["Adam", { lr: 0.05, weightDecay: 0.01 }],
    ["SGD", { lr: 0.1 }],
    ["SGD", { lr: 0.1, momentum: 0.9, weightDecay: 0.01 }],
  ] as const) {
    it(`${name} ${JSON.stringify(options)}: fused steps = fused: false, over 4 steps`, () => {
      const { a, b, x, y } = twins();
      const Opt = name === "Adam" ? optim.Adam : optim.SGD;
      const fast = new Opt(a.parameters(), options);
      const slow = new Opt(b.parameters(), { ...options, fused: false });
      for (let step = 0; step < 4; step++) {
        for (const [model, opt] of [
          [a, fast],
          [b, slow],
        ] as const) {
          tidy(() => {
            opt.zeroGrad();
            nn.crossEntropy(model.forward(x), y).backward();
            opt.step();
          });
        }
        a.parameters().forEach((p, i) =>
          expect(bits(p), `step ${step} parameter ${i}`).toEqual(bits(b.parameters()[i]!)),
        );
      }
    });
  }
});

describe("fused optimiser steps update in place", () => {
  for (const [name, options] of [
    ["Adam", { lr: 0.5 }],
    ["SGD", { lr: 0.5, momentum: 0.9 }],
  ] as const) {
    it(`${name}: the same parameter tensor, its new value read back (a cached one-element value too)`, () => {
      const w = S.tensor([2]).requiresGrad() as unknown as T;
      const Opt = name === "Adam" ? optim.Adam : optim.SGD;
      const opt = new Opt([w], options);
      const live = host.live;
      const values: number[] = [];
      for (let step = 0; step < 3; step++) {
        tidy(() => {
          opt.zeroGrad();
          w.mul(w).sum().backward();
          opt.step();
        });
        values.push(w.item()); // caches the value of a one-element tensor
      }
      expect(new Set(values).size).toBe(3);
      expect(values[2]).toBeLessThan(2);
      expect(host.live).toBe(live + 1 + (name === "Adam" ? 2 : 1)); // w.grad and the optimiser's state
      w.dispose();
    });
  }
});

describe("host calls of a training step", () => {
  it("a spirals MLP step makes at most 7 host calls (the backward walk one, every free one) and leaves no tensor behind", () => {
    const { a, x, y } = twins();
    const opt = new optim.Adam(a.parameters(), { lr: 0.02 });
    const step = () =>
      tidy(() => {
        opt.zeroGrad();
        const loss = nn.crossEntropy(a.forward(x), y);
        loss.backward();
        opt.step();
        return loss.item();
      });
    step(); // the first step also makes Adam's moment tensors
    const calls: string[] = [];
    const saved = { k: host.k, free: host.free, freeMany: host.freeMany, backward: host.backward! };
    host.k = (op: string, ...args: unknown[]) => (calls.push(op), saved.k.call(host, op, ...args));
    host.free = (h: number) => (calls.push("free"), saved.free.call(host, h));
    host.freeMany = (...hs: number[]) => {
      calls.push("freeMany");
      for (const h of hs) saved.free.call(host, h);
    };
    host.backward = (...args) => (calls.push("backward"), saved.backward.call(host, ...args));
    const live = host.live;
    try {
      step();
    } finally {
      Object.assign(host, saved);
    }
    expect(host.live).toBe(live);
    expect(calls.length, calls.join(", ")).toBeLessThanOrEqual(7);
    expect(calls.filter((c) => c === "backward")).toEqual(["backward"]);
    expect(calls.filter((c) => c === "free" || c === "freeMany")).toEqual(["freeMany"]);
  });
});

describe("the backward walk on the host (kernel/tape.ts) = the guest's walk, bit for bit", () => {
  /** Runs `fn` with the host's backward hidden, so autograd walks in the guest. */
  function inGuest<R>(fn: () => R): R {
    const saved = host.backward;
    host.backward = undefined;
    try {
      return fn();
    } finally {
      host.backward = saved;
    }
  }
  /** Counts the host walks `fn` makes. */
  function hostWalks(fn: () => void): number {
    const saved = host.backward!;
    let n = 0;
    host.backward = (...args) => {
      const out = saved.call(host, ...args);
      if (out !== null) n++;
      return out;
    };
    try {
      fn();
    } finally {
      host.backward = saved;
    }
    return n;
  }
  const gradBits = (model: Layer) => model.parameters().map((p) => bits(p.grad!));

  it("an MLP, twice without zeroGrad (the second adds into .grad), and Adam steps after it", () => {
    const { a, b, x, y } = twins();
    const optA = new optim.Adam(a.parameters(), { lr: 0.05 });
    const optB = new optim.Adam(b.parameters(), { lr: 0.05 });
    for (let step = 0; step < 3; step++) {
      expect(
        hostWalks(() => {
          optA.zeroGrad();
          nn.crossEntropy(a.forward(x), y).backward();
          nn.crossEntropy(a.forward(x), y).backward();
        }),
      ).toBe(2);
      inGuest(() => {
        optB.zeroGrad();
        nn.crossEntropy(b.forward(x), y).backward();
        nn.crossEntropy(b.forward(x), y).backward();
      });
      expect(gradBits(a)).toEqual(gradBits(b));
      optA.step();
      optB.step();
    }
  });

  it("a layer used twice (its gradients summed with add), and an input that wants a gradient", () => {
    const run = () => {
      S.seed(3);
      const first = new nn.Linear(3, 3);
      const relu = new nn.Sequential(new nn.Linear(3, 3), new nn.ReLU());
      const x = S.randn([5, 3]).requiresGrad() as unknown as T;
      const h = relu.forward(first.forward(relu.forward(x)));
      const loss = nn.crossEntropy(h, [0, 1, 2, 0, 1]);
      return { loss, params: [...first.parameters(), ...relu.parameters(), x] };
    };
    const onHost = run();
    expect(hostWalks(() => onHost.loss.backward())).toBe(1);
    const inG = run();
    inGuest(() => inG.loss.backward());
    expect(onHost.params.map((p) => bits(p.grad!))).toEqual(inG.params.map((p) => bits(p.grad!)));
  });

  it("a graph with any other op is walked by the guest; a walked graph is freed as before", () => {
    const { a, b, x, y } = twins();
    const loss = (m: Layer) =>
      nn.crossEntropy(m.forward(x), y).add(m.parameters()[0]!.mul(m.parameters()[0]!).sum().mul(0.01));
    expect(hostWalks(() => loss(a).backward())).toBe(0);
    inGuest(() => loss(b).backward());
    expect(gradBits(a)).toEqual(gradBits(b));
    const l = nn.crossEntropy(a.forward(x), y);
    l.backward();
    expect(() => l.backward()).toThrow(/graph was freed/);
  });
});
