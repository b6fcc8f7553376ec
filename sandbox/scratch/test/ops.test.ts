/**
 * Every differentiable op: forward value and gradient against the tfjs oracle (tf.grads on the cpu
 * backend), on random shapes including broadcasting. Tolerance: rtol 1e-3, atol 1e-4 (float32).
 */
import { describe, expect, it } from "vitest";
import { installDirectHost } from "../testing/install.js";

const host = await installDirectHost("cpu");
const S = await import("scratch");
const { gradCheck } = S.check;

/** Seeded shape picker so failures reproduce. */
let state = 12345;
const rnd = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
const dim = () => 2 + Math.floor(rnd() * 4);

/** A guest tensor as the tests see it: untyped JavaScript; each method used returns a tensor. */
type Method =
  | "abs"
  | "add"
  | "avgPool2d"
  | "bce"
  | "bin"
  | "clamp"
  | "concat"
  | "conv2d"
  | "cos"
  | "crossEntropy"
  | "div"
  | "exp"
  | "floor"
  | "gather"
  | "gt"
  | "log"
  | "logSoftmax"
  | "matmul"
  | "max"
  | "maxPool2d"
  | "maximum"
  | "mean"
  | "min"
  | "minimum"
  | "mseLoss"
  | "mul"
  | "neg"
  | "pow"
  | "rand"
  | "randint"
  | "randn"
  | "record"
  | "relu"
  | "reshape"
  | "sigmoid"
  | "sin"
  | "slice"
  | "softmax"
  | "sqrt"
  | "stack"
  | "sub"
  | "sum"
  | "tanh"
  | "tensor"
  | "toArray"
  | "transpose"
  | "where";
type GT = { [M in Method]: (...args: unknown[]) => GT };

type Input = { shape: number[]; positive?: boolean; labels?: number; indices?: number; mask?: boolean };
interface Case {
  name: string;
  oracle: string;
  inputs: Input[];
  fn: (...xs: GT[]) => GT;
  attrs?: Record<string, unknown>;
  wrt?: number[];
}

function makeInput(i: Input) {
  if (i.labels !== undefined) return S.randint(0, i.labels, i.shape);
  if (i.indices !== undefined) return S.randint(0, i.indices, i.shape);
  if (i.mask) return S.rand(i.shape).gt(0.5);
  const r = S.randn(i.shape);
  return i.positive ? r.abs().add(0.5) : r;
}

function cases(): Case[] {
  const [a, b, c] = [dim(), dim(), dim()];
  const bin = (op: Method): Case[] => [
    {
      name: `${op} same shape`,
      oracle: op,
      inputs: [{ shape: [a, b] }, { shape: [a, b] }],
      fn: (x: GT, y: GT) => x[op](y),
    },
    {
      name: `${op} broadcast row`,
      oracle: op,
      inputs: [{ shape: [a, b] }, { shape: [b] }],
      fn: (x: GT, y: GT) => x[op](y),
    },
    {
      name: `${op} broadcast column`,
      oracle: op,
      inputs: [{ shape: [a, 1] }, { shape: [c, a, b] }],
      fn: (x: GT, y: GT) => x[op](y),
    },
  ];
  const un = (op: Method, positive = false): Case => ({
    name: op,
    oracle: op,
    inputs: [{ shape: [a, b, c], positive }],
    fn: (x: GT) => x[op](),
  });
  return [
    ...bin("add"),
    ...bin("sub"),
    ...bin("mul"),
    {
      name: "div",
      oracle: "div",
      inputs: [{ shape: [a, b] }, { shape: [b], positive: true }],
      fn: (x: GT, y: GT) => x.div(y),
    },
    {
      name: "div broadcast",
      oracle: "div",
      inputs: [{ shape: [a, 1] }, { shape: [a, b], positive: true }],
      fn: (x: GT, y: GT) => x.div(y),
    },
    {
      name: "pow",
      oracle: "pow",
      inputs: [{ shape: [a, b], positive: true }, { shape: [b] }],
      fn: (x: GT, y: GT) => x.pow(y),
    },
    {
      name: "maximum",
      oracle: "maximum",
      inputs: [{ shape: [a, b] }, { shape: [a, b] }],
      fn: (x: GT, y: GT) => x.maximum(y),
    },
    {
      name: "minimum",
      oracle: "minimum",
      inputs: [{ shape: [a, b] }, { shape: [b] }],
      fn: (x: GT, y: GT) => x.minimum(y),
    },
    un("neg"),
    un("exp"),
    un("log", true),
    un("sqrt", true),
    un("abs"),
    un("tanh"),
    un("sigmoid"),
    un("relu"),
    un("sin"),
    un("cos"),
    {
      name: "clamp",
      oracle: "clip",
      attrs: { min: -0.5, max: 0.5 },
      inputs: [{ shape: [a, b] }],
      fn: (x: GT) => x.clamp(-0.5, 0.5),
    },
    {
      name: "matmul",
      oracle: "matmul",
      inputs: [{ shape: [a, b] }, { shape: [b, c] }],
      fn: (x: GT, y: GT) => x.matmul(y),
    },
    {
      name: "matmul batched",
      oracle: "matmul",
      inputs: [{ shape: [c, a, b] }, { shape: [c, b, a] }],
      fn: (x: GT, y: GT) => x.matmul(y),
    },
    {
      name: "matmul broadcast batch",
      oracle: "matmul",
      inputs: [{ shape: [c, a, b] }, { shape: [b, a] }],
      fn: (x: GT, y: GT) => x.matmul(y),
    },
    { name: "sum all", oracle: "sum", inputs: [{ shape: [a, b, c] }], fn: (x: GT) => x.sum() },
    {
      name: "sum axis",
      oracle: "sum",
      attrs: { axis: [1] },
      inputs: [{ shape: [a, b, c] }],
      fn: (x: GT) => x.sum(1),
    },
    {
      name: "sum keepDims",
      oracle: "sum",
      attrs: { axis: [-1], keepDims: true },
      inputs: [{ shape: [a, b] }],
      fn: (x: GT) => x.sum(-1, true),
    },
    {
      name: "mean axes",
      oracle: "mean",
      attrs: { axis: [0, 2] },
      inputs: [{ shape: [a, b, c] }],
      fn: (x: GT) => x.mean([0, 2]),
    },
    {
      name: "max axis",
      oracle: "max",
      attrs: { axis: [1] },
      inputs: [{ shape: [a, b] }],
      fn: (x: GT) => x.max(1),
    },
    { name: "min all", oracle: "min", inputs: [{ shape: [a, b] }], fn: (x: GT) => x.min() },
    {
      name: "softmax",
      oracle: "softmax",
      attrs: { axis: 1 },
      inputs: [{ shape: [a, b] }],
      fn: (x: GT) => x.softmax(1),
    },
    {
      name: "softmax axis 0",
      oracle: "softmax",
      attrs: { axis: 0 },
      inputs: [{ shape: [a, b] }],
      fn: (x: GT) => x.softmax(0),
    },
    {
      name: "logSoftmax",
      oracle: "logSoftmax",
      attrs: { axis: -1 },
      inputs: [{ shape: [a, b, c] }],
      fn: (x: GT) => x.logSoftmax(-1),
    },
    {
      name: "reshape",
      oracle: "reshape",
      attrs: { shape: [b, a] },
      inputs: [{ shape: [a, b] }],
      fn: (x: GT) => x.reshape([b, a]),
    },
    { name: "transpose", oracle: "transpose", inputs: [{ shape: [a, b] }], fn: (x: GT) => x.transpose() },
    {
      name: "transpose perm",
      oracle: "transpose",
      attrs: { perm: [2, 0, 1] },
      inputs: [{ shape: [a, b, c] }],
      fn: (x: GT) => x.transpose([2, 0, 1]),
    },
    {
      name: "slice",
      oracle: "slice",
      attrs: { begin: [1, 0], size: [1, b - 1] },
      inputs: [{ shape: [a, b] }],
      fn: (x: GT) => x.slice([1, 0], [1, b - 1]),
    },
    {
      name: "concat",
      oracle: "concat",
      attrs: { axis: 1 },
      inputs: [{ shape: [a, b] }, { shape: [a, c] }],
      fn: (x: GT, y: GT) => S.concat([x, y], 1),
    },
    {
      name: "stack",
      oracle: "stack",
      attrs: { axis: 1 },
      inputs: [{ shape: [a, b] }, { shape: [a, b] }],
      fn: (x: GT, y: GT) => S.stack([x, y], 1),
    },
    {
      name: "gather rows",
      oracle: "gather",
      attrs: { axis: 0 },
      inputs: [{ shape: [a, b] }, { shape: [c + 3], indices: a }],
      wrt: [0],
      fn: (x: GT, i: GT) => x.gather(i, 0),
    },
    {
      name: "gather axis 1",
      oracle: "gather",
      attrs: { axis: 1 },
      inputs: [{ shape: [a, b, c] }, { shape: [4], indices: b }],
      wrt: [0],
      fn: (x: GT, i: GT) => x.gather(i, 1),
    },
    {
      name: "where",
      oracle: "where",
      inputs: [{ shape: [a, b], mask: true }, { shape: [a, b] }, { shape: [b] }],
      wrt: [1, 2],
      fn: (m: GT, x: GT, y: GT) => S.where(m, x, y),
    },
    {
      name: "conv2d",
      oracle: "conv2d",
      attrs: { stride: [1, 1], padding: [1, 1] },
      inputs: [{ shape: [2, 3, 7, 6] }, { shape: [4, 3, 3, 3] }],
      fn: (x: GT, w: GT) => S.conv2d(x, w, { padding: 1 }),
    },
    {
      name: "conv2d strided",
      oracle: "conv2d",
      attrs: { stride: [2, 2], padding: [0, 0] },
      inputs: [{ shape: [2, 2, 8, 9] }, { shape: [3, 2, 3, 2] }],
      fn: (x: GT, w: GT) => S.conv2d(x, w, { stride: 2 }),
    },
    {
      name: "maxPool2d",
      oracle: "maxPool2d",
      attrs: { kernelSize: [2, 2], stride: [2, 2] },
      inputs: [{ shape: [2, 3, 6, 4] }],
      fn: (x: GT) => x.maxPool2d(2),
    },
    {
      name: "avgPool2d",
      oracle: "avgPool2d",
      attrs: { kernelSize: [3, 3], stride: [1, 1] },
      inputs: [{ shape: [2, 3, 5, 5] }],
      fn: (x: GT) => x.avgPool2d(3, 1),
    },
    {
      name: "linear",
      oracle: "linear",
      inputs: [{ shape: [a, b] }, { shape: [b, c] }, { shape: [c] }],
      fn: (x: GT, w: GT, bias: GT) => x.matmul(w).add(bias),
    },
    {
      name: "mseLoss",
      oracle: "mseLoss",
      inputs: [{ shape: [a, b] }, { shape: [a, b] }],
      fn: (p: GT, t: GT) => S.nn.mseLoss(p, t),
    },
    {
      name: "crossEntropy",
      oracle: "crossEntropy",
      inputs: [{ shape: [a, c] }, { shape: [a], labels: c }],
      wrt: [0],
      fn: (l: GT, y: GT) => S.nn.crossEntropy(l, y),
    },
    {
      name: "bce",
      oracle: "bce",
      inputs: [{ shape: [a, 1] }, { shape: [a, 1], mask: true }],
      wrt: [0],
      fn: (p: GT, y: GT) => S.nn.bce(p.sigmoid(), y),
    },
    {
      name: "layerNorm",
      oracle: "layerNorm",
      inputs: [{ shape: [a, b] }, { shape: [b] }, { shape: [b] }],
      fn: (x: GT, g: GT, bias: GT) => {
        const centered = x.sub(x.mean(-1, true));
        return centered.div(centered.pow(2).mean(-1, true).add(1e-5).sqrt()).mul(g).add(bias);
      },
    },
  ];
}

/** Every tensor whose shape the guest inferred must have exactly the host's shape. */
const inferred: string[] = [];
S.Tensor._onCreate = (t: { handle: number; _shape: number[] | null }) => {
  if (t._shape !== null && JSON.stringify([...t._shape]) !== JSON.stringify(host.shape(t.handle))) {
    inferred.push(`inferred [${t._shape}] but the host has [${host.shape(t.handle)}]`);
  }
};

describe("ops against the tfjs oracle", () => {
  for (const round of [0, 1]) {
    for (const c of cases()) {
      it(`${c.name} (round ${round})`, () => {
        S.seed(round * 100 + c.name.length);
        S.tidy(() => {
          const inputs = c.inputs.map(makeInput);
          // bce's oracle takes probabilities: feed it sigmoid(p) too.
          const oracleInputs = c.name === "bce" ? [inputs[0].sigmoid(), inputs[1]] : inputs;
          const fn = c.name === "bce" ? (p: GT, y: GT) => S.nn.bce(p, y) : c.fn;
          gradCheck(fn, oracleInputs, {
            oracle: c.oracle,
            attrs: c.attrs ?? {},
            wrt: c.wrt,
            rtol: 1e-3,
            atol: 1e-4,
          });
        });
        expect(host.live).toBe(0);
        expect(inferred).toEqual([]);
      });
    }
  }
});

describe("gradCheck reports wrong gradients", () => {
  it("names the input, the element and a hint", () => {
    S.tidy(() => {
      const x = S.randn([3, 3]);
      // A deliberately wrong op: forward x², backward recorded as −2x (sign flipped).
      const wrong = (t: GT) => {
        const out = S.tensor(t.mul(t).toArray());
        return S.autograd.record(out, [t], [(g: GT) => g.mul(t).mul(-2)]);
      };
      expect(() => gradCheck(wrong, [x], { oracle: "mul", attrs: {} })).toThrow();
      try {
        gradCheck(wrong, [x, x], { oracle: "mul", wrt: [0] });
      } catch (e) {
        expect(String((e as Error).message)).toMatch(/gradient of input 0: element \[\d, \d\]/);
        expect((e as { hint?: string }).hint).toMatch(/sign is flipped/);
      }
    });
  });
});
