/**
 * The conformance program set: `scratch` programs covering elementwise ops, reductions, matmul,
 * softmax, convolution, a forward and backward pass, and NaN/±Infinity. Each prints lines
 * `label v1 v2 …` with every value in full (String(number)), so a browser backend's output can
 * be compared element by element with Node's wasm output.
 */

/** Relative tolerance of the element-by-element comparison (float32, GPU transcendental functions). */
export const CONFORMANCE_TOLERANCE = 1e-4;

const PRELUDE = `import { tensor, arange, seed, nn, conv2d } from "scratch";
const show = (label, t) => console.log(label, [t.toArray()].flat(Infinity).join(" "));
const a = arange(12).reshape([3, 4]).mul(0.37).sub(2);
const b = arange(20).reshape([4, 5]).mul(-0.21).add(1.5);
`;

export const CONFORMANCE_PROGRAMS: { name: string; source: string }[] = [
  {
    name: "elementwise",
    source: `${PRELUDE}
show("add", a.add(1.25));
show("sub", a.sub(a.mul(0.5)));
show("mul", a.mul(a));
show("div", a.div(3));
show("pow", a.pow(2));
show("exp", a.exp());
show("log", a.abs().add(1).log());
show("sqrt", a.abs().sqrt());
show("tanh", a.tanh());
show("sigmoid", a.sigmoid());
show("relu", a.relu());
show("broadcast", a.add(tensor([1, 2, 3, 4])));`,
  },
  {
    name: "reductions",
    source: `${PRELUDE}
show("sum", a.sum());
show("sum0", a.sum(0));
show("mean1", a.mean(1));
show("max1", a.max(1));
show("argmax1", a.argmax(1));`,
  },
  {
    name: "matmul and softmax",
    source: `${PRELUDE}
show("matmul", a.matmul(b));
show("softmax", a.softmax(1));
show("logSoftmax", a.logSoftmax(1));`,
  },
  {
    name: "convolution",
    source: `${PRELUDE}
const x = arange(2 * 2 * 5 * 5).reshape([2, 2, 5, 5]).mul(0.05).sub(1);
const w = arange(3 * 2 * 3 * 3).reshape([3, 2, 3, 3]).mul(-0.03).add(0.4);
show("conv", conv2d(x, w, { padding: 1 }));
show("conv stride 2", conv2d(x, w, { stride: 2 }));`,
  },
  {
    name: "forward and backward",
    source: `${PRELUDE}
seed(0);
const model = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.Linear(8, 3));
const loss = nn.crossEntropy(model.forward(a), tensor([0, 2, 1]));
loss.backward();
show("loss", loss);
model.parameters().forEach((p, i) => show("grad" + i, p.grad));
const x = arange(1 * 1 * 4 * 4).reshape([1, 1, 4, 4]).mul(0.1).requiresGrad();
const conv = new nn.Conv2d(1, 2, 3);
const y = conv.forward(x).pow(2).sum();
y.backward();
show("conv loss", y);
show("conv input grad", x.grad);
show("conv weight grad", conv.weight.grad);`,
  },
  {
    name: "NaN and Infinity",
    source: `${PRELUDE}
show("div by zero", tensor([0, 1, -1]).div(tensor([0, 0, 0])));
show("exp overflow", tensor([1000]).exp().div(tensor([1000]).exp()));
show("log zero", tensor([0, 1]).log());
show("nan add", tensor([NaN, 1]).add(tensor([1, Infinity])));
show("sum inf", tensor([1, Infinity, 2]).sum());
show("inf minus inf", tensor([Infinity]).sub(tensor([Infinity])));
show("softmax inf", tensor([[Infinity, 0]]).softmax(1));`,
  },
];

/** Lines of one program's output as label → values. */
export function parseOutput(lines: string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of lines) {
    const parts = line.split(" ");
    const values: number[] = [];
    while (parts.length > 1 && /^(-?[\d.e+-]+|NaN|-?Infinity)$/.test(parts.at(-1)!))
      values.unshift(Number(parts.pop()));
    out.set(parts.join(" "), values);
  }
  return out;
}

/** The first element where `actual` differs from `expected` beyond the tolerance, or null. */
export function firstDisagreement(
  expected: Map<string, number[]>,
  actual: Map<string, number[]>,
  tolerance = CONFORMANCE_TOLERANCE,
): string | null {
  for (const [label, want] of expected) {
    const got = actual.get(label);
    if (!got) return `${label}: missing`;
    if (got.length !== want.length) return `${label}: ${got.length} values, expected ${want.length}`;
    for (let i = 0; i < want.length; i++) {
      const [e, g] = [want[i]!, got[i]!];
      const same = Number.isNaN(e)
        ? Number.isNaN(g)
        : !Number.isFinite(e)
          ? g === e
          : Number.isFinite(g) && Math.abs(g - e) <= tolerance * Math.max(1, Math.abs(e));
      if (!same) return `${label}[${i}]: expected ${e}, got ${g}`;
    }
  }
  return null;
}
