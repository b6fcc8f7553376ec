/** Tensor basics, lifetimes (tidy/dispose/keep), autograd details and withholding autograd. */
import { afterEach, describe, expect, it } from "vitest";
import { installDirectHost } from "../testing/install.js";

const host = await installDirectHost("cpu");
const S = await import("scratch");

afterEach(() => host.configure({}));

describe("creation and reading", () => {
  it("builds from nested arrays, flat values with a shape, and numbers", () => {
    expect(
      S.tensor([
        [1, 2],
        [3, 4],
      ]).shape,
    ).toEqual([2, 2]);
    expect(S.tensor([1, 2, 3, 4, 5, 6], [3, 2]).toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(S.tensor(7).item()).toBe(7);
    expect(S.eye(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(S.arange(1, 7, 2).toArray()).toEqual([1, 3, 5]);
    expect(String(S.tensor([[1, 2.5]]))).toBe("tensor([[1, 2.500]])");
  });

  it("rejects ragged arrays, wrong sizes and bad shapes with clear errors", () => {
    expect(() => S.tensor([[1, 2], [3]])).toThrow(/rectangular/);
    expect(() => S.tensor([1, 2, 3], [2, 2])).toThrow(/3 values do not fit shape \[2, 2\]/);
    expect(() => S.zeros([2.5])).toThrow(/non-negative integers/);
    expect(() => S.tensor([1, 2]).item()).toThrow(/2 elements, not 1/);
  });

  it("is reproducible under seed()", () => {
    S.seed(42);
    const a = S.randn([5]).toArray();
    const b = S.data.spirals({ n: 5, classes: 2 }).x.toArray();
    S.seed(42);
    expect(S.randn([5]).toArray()).toEqual(a);
    expect(S.data.spirals({ n: 5, classes: 2 }).x.toArray()).toEqual(b);
    const r = S.randint(0, 3, [100]).toArray() as number[];
    expect(r.every((v) => v === 0 || v === 1 || v === 2)).toBe(true);
  });

  it("squeezes, unsqueezes, flattens, pads and compares", () => {
    const x = S.tensor([[1, 2, 3]]);
    expect(x.squeeze().shape).toEqual([3]);
    expect(x.unsqueeze(0).shape).toEqual([1, 1, 3]);
    expect(S.zeros([2, 3, 4]).flatten().shape).toEqual([2, 12]);
    expect(S.tensor([1, 2]).pad([1, 0]).toArray()).toEqual([0, 1, 2]);
    expect(S.tensor([1, 2, 3]).gt(2).toArray()).toEqual([0, 0, 1]);
    expect(S.oneHot([2, 0], 3).toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(S.where(S.tensor([1, 0]), 5, S.tensor([7, 8])).toArray()).toEqual([5, 8]);
  });
});

describe("lifetimes", () => {
  it("tidy frees everything but its result; dispose frees at once", () => {
    const before = host.live;
    const kept = S.tidy(() => {
      const a = S.ones([3]);
      const b = a.add(a).add(a);
      return { b, list: [a.sum()] };
    });
    expect(host.live - before).toBe(2);
    expect(kept.b.toArray()).toEqual([3, 3, 3]);
    S.dispose(kept);
    expect(host.live).toBe(before);
    expect(() => kept.b.toArray()).toThrow(/disposed/);
  });

  it("nested tidy hands results to the outer scope, and errors still free", () => {
    const before = host.live;
    S.tidy(() => {
      const inner = S.tidy(() => S.ones([2]).mul(3));
      expect(inner.toArray()).toEqual([3, 3]);
    });
    expect(host.live).toBe(before);
    expect(() =>
      S.tidy(() => {
        S.ones([2]);
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(host.live).toBe(before);
  });

  it("keep() survives tidy; assign() moves values in place", () => {
    const w = S.tidy(() => S.zeros([2]).keep());
    S.tidy(() => w.assign(w.add(5)));
    expect(w.toArray()).toEqual([5, 5]);
    expect(() => w.assign(S.zeros([3]))).toThrow(/does not match/);
    w.dispose();
  });

  it("frees made inside a tidy cross to the host together when it ends; a disposed tensor is unusable at once", () => {
    const before = host.live;
    const calls: string[] = [];
    const saved = { free: host.free, freeMany: host.freeMany };
    host.free = (h: number) => (calls.push("free"), saved.free.call(host, h));
    host.freeMany = (...hs: number[]) => {
      calls.push(`freeMany ${hs.length}`);
      for (const h of hs) saved.free.call(host, h);
    };
    try {
      S.tidy(() => {
        const a = S.ones([2]);
        const b = a.add(1);
        b.dispose();
        expect(() => b.toArray()).toThrow(/disposed/);
        S.dispose(a);
        expect(calls).toEqual([]);
        S.ones([3]);
      });
      expect(calls).toEqual(["freeMany 3"]);
      expect(host.live).toBe(before);
      // Outside a tidy, dispose() frees at once.
      calls.length = 0;
      S.ones([2]).dispose();
      expect(calls).toEqual(["free"]);
      // A batch never holds back more than 256 tensors.
      calls.length = 0;
      S.tidy(() => {
        for (let i = 0; i < 600; i++) S.ones([1]).dispose();
        expect(host.live - before).toBeLessThanOrEqual(256);
      });
      expect(calls).toEqual(["freeMany 256", "freeMany 256", "freeMany 88"]);
      expect(host.live).toBe(before);
    } finally {
      Object.assign(host, saved);
    }
  });

  it("keeps its own copy of a shape it is given", () => {
    const shape = [3, 1];
    const x = S.ones([3]).reshape(shape);
    shape[0] = 7;
    expect(x.shape).toEqual([3, 1]);
    expect(Object.isFrozen(shape)).toBe(false);
    expect(Object.isFrozen(x.shape)).toBe(true);
    const y = S.zeros(shape);
    shape.push(2);
    expect(y.shape).toEqual([7, 1]);
    expect(S.ones([2]).broadcastTo(shape.slice(1)).shape).toEqual([1, 2]);
  });
});

describe("autograd", () => {
  it("accumulates gradients over backward calls and zeroGrad clears them", () => {
    const w = S.tensor([1, 2]).requiresGrad();
    w.mul(w).sum().backward();
    w.mul(3).sum().backward();
    expect(w.grad.toArray()).toEqual([5, 7]); // 2w + 3
    w.zeroGrad();
    expect(w.grad).toBeNull();
  });

  it("sums gradients reaching a tensor along several paths", () => {
    const x = S.tensor([2]).requiresGrad();
    const y = x.mul(x).add(x).add(x.exp().log());
    y.backward();
    expect(x.grad.item()).toBeCloseTo(2 * 2 + 1 + 1, 5);
  });

  it("passes a gradient through to an input that already has one pending", () => {
    // add hands its incoming gradient to both inputs unchanged. When the first input already holds
    // a pending gradient, the engine sums into it and must not free the gradient the second needs.
    const x = S.tensor([
      [1, 2],
      [3, 4],
    ]).requiresGrad();
    x.add(x.sub(x.mean(1).reshape([2, 1])).mul(2))
      .sum()
      .backward();
    // Each row of (x - rowmean) sums to zero, so only the first term contributes: 1 everywhere.
    expect(x.grad.toArray()).toEqual([
      [1, 1],
      [1, 1],
    ]);
    // p = 2a feeds n = p + b and, later, r = n + p: when n's step runs, p already has r's gradient.
    const a = S.tensor([1, 2]).requiresGrad();
    const b = S.tensor([5, 6]).requiresGrad();
    const p = a.mul(2);
    p.add(b).add(p).sum().backward();
    expect(a.grad.toArray()).toEqual([4, 4]);
    expect(b.grad.toArray()).toEqual([1, 1]);
  });

  it("noGrad does not record; backward needs a scalar root or an explicit gradient", () => {
    const w = S.tensor([1, 2]).requiresGrad();
    expect(S.noGrad(() => w.mul(2)).tracksGrad).toBe(false);
    expect(() => w.mul(2).backward()).toThrow(/pass its gradient or reduce it/);
    w.mul(2).backward(S.tensor([1, 1]));
    expect(w.grad.toArray()).toEqual([2, 2]);
    expect(() => S.tensor([1]).backward()).toThrow(/does not depend on any tensor marked with requiresGrad/);
  });

  it("frees the graph after backward, like PyTorch", () => {
    const w = S.tensor([1]).requiresGrad();
    const loss = w.mul(2).sum();
    loss.backward();
    expect(() => loss.backward()).toThrow(/graph was freed/);
  });

  it("backward leaves only the leaves' gradients behind, and never frees a gradient it was given", () => {
    const x = S.tensor([1, 2]).requiresGrad();
    const y = x.add(x).mul(x).add(x).sum(); // pass-through and repeated inputs
    const before = host.live;
    y.backward();
    expect(host.live).toBe(before + 1); // x.grad, nothing else
    expect(Array.from(x.grad.data())).toEqual([5, 9]); // d/dx (2x² + x) = 4x + 1
    const z = x.mul(3);
    const g = S.tensor([1, 1]);
    z.backward(g);
    expect(Array.from(g.data())).toEqual([1, 1]);
    const leaf = S.tensor([4]).requiresGrad();
    const given = S.tensor([2]);
    leaf.backward(given);
    expect(leaf.grad).not.toBe(given);
    expect(Array.from(given.data())).toEqual([2]);
  });

  it("handles a deep graph (an RNN over 2,000 steps) without recursion", () => {
    const before = host.live;
    S.tidy(() => {
      const w = S.tensor([0.5]).requiresGrad();
      let h = S.tensor([1]);
      for (let i = 0; i < 2000; i++) h = h.mul(w).add(0.5);
      h.backward();
      expect(Number.isFinite(w.grad.item())).toBe(true);
      w.dispose();
    });
    expect(host.live).toBe(before);
  });

  it("is withheld when a task does not allow scratch/autograd", () => {
    host.configure({ allowed: ["scratch/tensor", "scratch/nn"] });
    const message = "requiresGrad(): autograd is not available in this task: compute the gradients yourself";
    expect(() => S.randn([2]).requiresGrad()).toThrow(message);
    // Library modules still work: a layer's forward pass runs, but backward is refused.
    const layer = new S.nn.Linear(2, 1);
    const out = layer.forward(S.ones([1, 2])).sum();
    expect(() => out.backward()).toThrow(/backward\(\): autograd is not available in this task/);
    layer.dispose();
  });
});

describe("nn layers", () => {
  it("run forward with the documented shapes", () => {
    S.seed(3);
    S.tidy(() => {
      const x = S.randn([4, 3, 8, 8]);
      expect(new S.nn.Conv2d(3, 5, 3, { padding: 1 }).forward(x).shape).toEqual([4, 5, 8, 8]);
      expect(new S.nn.MaxPool2d(2).forward(x).shape).toEqual([4, 3, 4, 4]);
      expect(new S.nn.AvgPool2d(2).forward(x).shape).toEqual([4, 3, 4, 4]);
      expect(new S.nn.Embedding(10, 6).forward(S.tensor([[1, 2, 3]])).shape).toEqual([1, 3, 6]);
      const rnn = new S.nn.RNNCell(3, 7);
      expect(rnn.forward(S.randn([2, 3])).shape).toEqual([2, 7]);
      const lstm = new S.nn.LSTMCell(3, 7);
      const [h, c] = lstm.forward(S.randn([2, 3]));
      expect([h.shape, c.shape]).toEqual([
        [2, 7],
        [2, 7],
      ]);
      expect(lstm.parameters()).toHaveLength(3);
      const ln = new S.nn.LayerNorm(6).forward(S.randn([2, 6]));
      expect(ln.mean(-1).abs().max().item()).toBeLessThan(1e-5);
      const drop = new S.nn.Dropout(0.5);
      const ones = S.ones([1000]);
      const kept = drop.forward(ones);
      expect(kept.mean().item()).toBeGreaterThan(0.85);
      expect(kept.mean().item()).toBeLessThan(1.15);
      expect(drop.eval().forward(ones)).toBe(ones);
    });
  });

  it("trains an LSTM cell and an embedding through autograd", () => {
    S.seed(4);
    const emb = new S.nn.Embedding(5, 4);
    const cell = new S.nn.LSTMCell(4, 8);
    const head = new S.nn.Linear(8, 5);
    const params = [...emb.parameters(), ...cell.parameters(), ...head.parameters()];
    const opt = new S.optim.Adam(params, { lr: 0.05 });
    // Learn "next token = (token + 1) mod 5".
    const xs = S.tensor([0, 1, 2, 3, 4]);
    const ys = S.tensor([1, 2, 3, 4, 0]);
    let loss = 0;
    for (let i = 0; i < 60; i++) {
      loss = S.tidy(() => {
        opt.zeroGrad();
        const [h] = cell.forward(emb.forward(xs));
        const l = S.nn.crossEntropy(head.forward(h), ys);
        l.backward();
        opt.step();
        return l.item();
      });
    }
    expect(loss).toBeLessThan(0.1);
    opt.dispose();
    params.forEach((p) => p.dispose());
  });
});

describe("optimisers", () => {
  it("fused Adam (one kernel per parameter) matches Adam written op by op", () => {
    const train = (fused: boolean) => {
      S.seed(9);
      const layer = new S.nn.Linear(3, 2);
      const opt = new S.optim.Adam(layer.parameters(), { lr: 0.05, weightDecay: 0.01, fused });
      const x = S.randn([8, 3]);
      const y = S.randn([8, 2]);
      for (let i = 0; i < 5; i++) {
        S.tidy(() => {
          opt.zeroGrad();
          S.nn.mseLoss(layer.forward(x), y).backward();
          opt.step();
        });
      }
      const values = layer.parameters().map((p: { toArray(): unknown }) => p.toArray());
      opt.dispose();
      layer.dispose();
      S.dispose([x, y]);
      return values;
    };
    const before = host.live;
    const fused = train(true) as number[][][];
    const plain = train(false) as number[][][];
    fused.flat(2).forEach((v, i) => expect(v).toBeCloseTo(plain.flat(2)[i]!, 5));
    expect(host.live).toBe(before);
  });

  it("SGD with momentum descends a quadratic", () => {
    const w = S.tensor([5, -3]).requiresGrad();
    const opt = new S.optim.SGD([w], { lr: 0.1, momentum: 0.5 });
    for (let i = 0; i < 50; i++) {
      S.tidy(() => {
        opt.zeroGrad();
        w.pow(2).sum().backward();
        opt.step();
      });
    }
    expect(Math.abs(w.toArray()[0])).toBeLessThan(1e-3);
    opt.dispose();
    w.dispose();
  });
});
