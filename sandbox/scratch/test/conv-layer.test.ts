/**
 * A Conv2d, a ReLU and a MaxPool2d in a Sequential run as one host kernel each way
 * (kernels/conv-layer.ts, NHWC inside): the output and every gradient are bit for bit those of the
 * three layers run op by op (conv2d, add, relu, maxPool2d and their backward kernels), on the wasm
 * backend the room, the CLI and verify use — with tied maxima, NaN, ±Infinity, both paddings,
 * strides, overlapping pooling windows and non-square kernels — and the fused path is the one
 * taken.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { poolGradValues } from "../kernels/nn.js";
import { installDirectHost } from "../testing/install.js";
import { floatBits } from "./float-bits.js";

const host = await installDirectHost("wasm");
const S = await import("scratch");

interface T {
  handle: number;
  shape: number[];
  grad: T | null;
  data(): Float32Array;
  backward(grad?: T): void;
  requiresGrad(): T;
}
interface Layer {
  weight: T;
  bias: T;
  layers: Layer[];
  forward(x: T): T;
  parameters(): T[];
}
type Pair = number | [number, number];
const nn = S.nn as unknown as {
  Conv2d: new (i: number, o: number, k: Pair, options: object) => Layer;
  ReLU: new () => Layer;
  MaxPool2d: new (k: Pair, s: Pair, p: number) => Layer;
  Sequential: new (...layers: Layer[]) => Layer;
};
const tensor = S.tensor as unknown as (values: Float32Array, shape: number[]) => T;
/** The bits of a tensor's values (every NaN as the one quiet NaN, float-bits.ts). */
const bits = (t: T) => floatBits(t.data());

/**
 * Values with many ties (multiples of 0.3 from −0.9 to 0.9, many ≤ 0 so that ReLU ties them at 0;
 * not dyadic, so sums in another order round differently) and, when asked, NaN and ±∞.
 */
function values(count: number, seed: number, special: boolean): Float32Array {
  let s = seed;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const u = next();
    out[i] =
      special && u < 0.03
        ? NaN
        : special && u < 0.06
          ? Infinity
          : special && u < 0.09
            ? -Infinity
            : (Math.floor(next() * 7) - 3) * 0.3;
  }
  return out;
}

interface Case {
  n: number;
  c: number;
  o: number;
  h: number;
  w: number;
  k: Pair;
  stride: Pair;
  padding: Pair;
  pool: [Pair, Pair, number];
}

const CASES: Case[] = [
  { n: 3, c: 1, o: 4, h: 8, w: 8, k: 3, stride: 1, padding: 1, pool: [2, 2, 0] }, // the MNIST layer
  { n: 2, c: 3, o: 2, h: 7, w: 9, k: [3, 2], stride: [2, 1], padding: [1, 0], pool: [2, 2, 0] },
  { n: 2, c: 2, o: 3, h: 9, w: 9, k: 3, stride: 1, padding: 1, pool: [3, 2, 1] }, // overlapping, padded
  { n: 1, c: 2, o: 2, h: 6, w: 7, k: 2, stride: 1, padding: 0, pool: [[2, 3], [1, 3], 1] },
  { n: 2, c: 1, o: 2, h: 5, w: 5, k: 1, stride: 1, padding: 2, pool: [[3, 2], [3, 2], 1] },
];

/** Both ways on the same input and weights: [output, dx, dweight, dbias] of each. */
function both(p: Case, seed: number, special: boolean): [T[], T[]] {
  const [kh, kw] = Array.isArray(p.k) ? p.k : [p.k, p.k];
  const run = (fused: boolean): T[] => {
    S.seed(seed);
    const layers = [
      new nn.Conv2d(p.c, p.o, p.k, { stride: p.stride, padding: p.padding }),
      new nn.ReLU(),
      new nn.MaxPool2d(...p.pool),
    ];
    const [conv] = layers as [Layer];
    (conv.weight as unknown as { assign(t: T): void }).assign(
      tensor(values(p.o * p.c * kh * kw, seed + 1, special && seed % 2 === 0), [p.o, p.c, kh, kw]),
    );
    (conv.bias as unknown as { assign(t: T): void }).assign(tensor(values(p.o, seed + 2, false), [p.o]));
    const x = tensor(values(p.n * p.c * p.h * p.w, seed + 3, special), [p.n, p.c, p.h, p.w]).requiresGrad();
    const model = new nn.Sequential(...layers);
    let y: T = x;
    if (fused) y = model.forward(x);
    else for (const layer of layers) y = layer.forward(y);
    expect((y as unknown as { _op?: string })._op === "conv2dReluMaxPool", "the fused kernel made y").toBe(
      fused,
    );
    y.backward(
      tensor(
        values(
          y.shape.reduce((a, b) => a * b, 1),
          seed + 4,
          special,
        ),
        y.shape,
      ),
    );
    return [y, x.grad!, conv.weight.grad!, conv.bias.grad!];
  };
  return [run(true), run(false)];
}

beforeEach(() => {
  host.freeAll();
});

describe("Conv2d → ReLU → MaxPool2d fused = op by op, bit for bit (wasm)", () => {
  CASES.forEach((p, i) => {
    for (const special of [false, true]) {
      it(`case ${i} ${JSON.stringify(p)}${special ? " with NaN and ±Infinity" : ""}`, () => {
        for (const seed of [1, 2, 3]) {
          const [fused, plain] = both(p, seed * 10 + i, special);
          ["y", "dx", "dweight", "dbias"].forEach((name, k) =>
            expect(bits(fused[k]!), `seed ${seed}: ${name}`).toEqual(bits(plain[k]!)),
          );
        }
      });
    }
  });

  it("tied maxima share a window's gradient, as documented", () => {
    // A 1×1 convolution of weight 1 and bias 0 passes x through, so the pooling sees x itself.
    const conv = new nn.Conv2d(1, 1, 1, {});
    (conv.weight as unknown as { assign(t: T): void }).assign(tensor(Float32Array.of(1), [1, 1, 1, 1]));
    (conv.bias as unknown as { assign(t: T): void }).assign(tensor(Float32Array.of(0), [1]));
    const model = new nn.Sequential(conv, new nn.ReLU(), new nn.MaxPool2d(2, 2, 0));
    // Windows: four equal maxima; two +∞ (and a 0); one maximum; all ≤ 0 (ReLU ties them at 0,
    // and its gradient is 0 there).
    const x = tensor(
      Float32Array.of(1, 1, Infinity, Infinity, 1, 1, 0, -1, 5, 1, -1, -2, 0, 2, -3, -4),
      [1, 1, 4, 4],
    ).requiresGrad();
    const y = model.forward(x);
    expect((y as unknown as { _op?: string })._op).toBe("conv2dReluMaxPool");
    y.backward(tensor(Float32Array.of(8, 8, 8, 8), [1, 1, 2, 2]));
    expect(Array.from(x.grad!.data())).toEqual([2, 2, 4, 4, 2, 2, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("a training step of the layer makes one forward and one backward call for it", () => {
    S.seed(0);
    const model = new nn.Sequential(
      new nn.Conv2d(1, 2, 3, { padding: 1 }),
      new nn.ReLU(),
      new nn.MaxPool2d(2, 2, 0),
    );
    const x = tensor(values(2 * 36, 9, false), [2, 1, 6, 6]);
    const calls: string[] = [];
    const saved = host.k;
    host.k = (op: string, ...args: unknown[]) => (calls.push(op), saved.call(host, op, ...args));
    try {
      const y = model.forward(x);
      y.backward(tensor(values(2 * 2 * 9, 3, false), y.shape));
    } finally {
      host.k = saved;
    }
    expect(calls.filter((c) => c.startsWith("conv2d") || c.includes("Pool") || c.startsWith("relu"))).toEqual(
      ["conv2dReluMaxPool", "conv2dReluMaxPoolBackward"],
    );
  });
});

/**
 * Max pooling's gradient as the tap-by-tap passes computed it before windows that do not overlap
 * got their own loop (and as overlapping windows still get it): ties, each = g / ties, then every
 * tap's share added in tap order, in float32.
 */
function tapByTap(
  xv: Float32Array,
  yv: Float32Array,
  g: Float32Array,
  [n, hp, wp, c]: number[],
  [oh, ow]: number[],
  [kh, kw]: number[],
  [sh, sw]: number[],
): Float32Array {
  const windows = n! * oh! * ow! * c!;
  const corner = new Int32Array(windows);
  for (let b = 0, w = 0; b < n!; b++)
    for (let i = 0; i < oh!; i++)
      for (let j = 0; j < ow!; j++)
        for (let ch = 0; ch < c!; ch++) corner[w++] = ((b * hp! + i * sh!) * wp! + j * sw!) * c! + ch;
  const ties = new Float32Array(windows);
  for (let di = 0; di < kh!; di++)
    for (let dj = 0; dj < kw!; dj++)
      for (let w = 0; w < windows; w++) if (xv[corner[w]! + (di * wp! + dj) * c!] === yv[w]) ties[w]! += 1;
  const each = new Float32Array(windows);
  for (let w = 0; w < windows; w++) each[w] = g[w]! / ties[w]!;
  const dx = new Float32Array(n! * hp! * wp! * c!);
  for (let di = 0; di < kh!; di++)
    for (let dj = 0; dj < kw!; dj++)
      for (let w = 0; w < windows; w++) {
        const at = corner[w]! + (di * wp! + dj) * c!;
        dx[at]! += Math.fround(each[w]! * (xv[at] === yv[w] ? 1 : 0));
      }
  return dx;
}

describe("max pooling's gradient loops: disjoint windows = the tap-by-tap passes, bit for bit", () => {
  for (const [shape, size, stride] of [
    [
      [3, 8, 8, 4],
      [2, 2],
      [2, 2],
    ],
    [
      [2, 9, 7, 3],
      [3, 2],
      [3, 3],
    ],
    [
      [2, 6, 9, 2],
      [1, 3],
      [2, 4],
    ],
    [
      [1, 5, 5, 5],
      [2, 2],
      [1, 2],
    ], // overlapping rows: the generic passes
  ] as const) {
    it(`[${shape}] kernel ${size} stride ${stride}, with ties, NaN and ±Infinity, dy in NCHW or NHWC`, () => {
      const [n, hp, wp, c] = shape;
      const oh = Math.floor((hp - size[0]) / stride[0]) + 1;
      const ow = Math.floor((wp - size[1]) / stride[1]) + 1;
      for (const seed of [1, 2, 3, 4]) {
        const xv = values(n * hp * wp * c, seed, true);
        // The windows' maxima (NaN when the window holds one), and now and then a value no cell has.
        const yv = new Float32Array(n * oh * ow * c);
        for (let b = 0, w = 0; b < n; b++)
          for (let i = 0; i < oh; i++)
            for (let j = 0; j < ow; j++)
              for (let ch = 0; ch < c; ch++, w++) {
                let m = -Infinity;
                for (let di = 0; di < size[0]; di++)
                  for (let dj = 0; dj < size[1]; dj++) {
                    const v = xv[((b * hp + i * stride[0] + di) * wp + j * stride[1] + dj) * c + ch]!;
                    m = Number.isNaN(v) || Number.isNaN(m) ? NaN : Math.max(m, v);
                  }
                yv[w] = w % 17 === 5 ? 0.123 : m;
              }
        const g = values(yv.length, seed + 7, true).map((v, k) => (k % 3 === 0 ? v / 3 : v));
        const expected = tapByTap(
          xv,
          yv,
          g,
          shape as unknown as number[],
          [oh, ow],
          size as unknown as number[],
          stride as unknown as number[],
        );
        const actual = poolGradValues(
          "max",
          xv,
          yv,
          g,
          false,
          [n, hp, wp, c],
          [oh, ow],
          [size[0], size[1]],
          [stride[0], stride[1]],
          0,
          false,
        );
        expect(floatBits(actual), `seed ${seed}, dy NHWC`).toEqual(floatBits(expected));
        // dy given in NCHW: the same result.
        const gNCHW = new Float32Array(g.length);
        for (let b = 0, w = 0; b < n; b++)
          for (let i = 0; i < oh; i++)
            for (let j = 0; j < ow; j++)
              for (let ch = 0; ch < c; ch++) gNCHW[((b * c + ch) * oh + i) * ow + j] = g[w++]!;
        const fromNCHW = poolGradValues(
          "max",
          xv,
          yv,
          gNCHW,
          true,
          [n, hp, wp, c],
          [oh, ow],
          [size[0], size[1]],
          [stride[0], stride[1]],
          0,
          false,
        );
        expect(floatBits(fromNCHW), `seed ${seed}, dy NCHW`).toEqual(floatBits(expected));
      }
    });
  }
});
