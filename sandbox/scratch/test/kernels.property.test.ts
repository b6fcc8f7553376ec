/**
 * Differential property suites: every kernel of the `scratch` kernel table, forward and (through
 * the guest's autograd) backward, against the independent float64 reference in
 * testing/reference.ts, on generated shapes — broadcasting on either or both sides, batch
 * dimensions, size-1 and empty dimensions, every kernel/stride/padding combination in range,
 * negative values and ties, keepDims. The last test checks that the suites really called every
 * kernel of the table.
 *
 * Bounded by default; `SCRATCH_PROPERTY_RUNS=500 npx vitest run …` for a long run. A failure
 * prints its seed: replay with SCRATCH_PROPERTY_SEED=<seed> SCRATCH_PROPERTY_PATH=<path>.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createKernelTable } from "../kernels/index.js";
import { nodeDataSource } from "../kernels/data-node.js";
import { installDirectHost } from "../testing/install.js";
import {
  arrOf,
  broadcastable,
  broadcastPair,
  call,
  checkOp,
  expectClose,
  nonZero,
  params,
  positive,
  quarter,
  shapeArb,
  type G,
  upstream,
} from "../testing/property.js";
import * as R from "../testing/reference.js";
import { arr, type Arr } from "../testing/reference.js";

const host = await installDirectHost("cpu");
const S = await import("scratch");

/** Every kernel any suite asked the host for. */
const called = new Set<string>();
const k = host.k.bind(host);
host.k = (op: string, ...args: unknown[]) => {
  called.add(op);
  return k(op, ...args);
};

const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const property = <T>(arb: fc.Arbitrary<T>, body: (v: T) => void) =>
  fc.assert(fc.property(arb, body), params());
const guest = (a: Arr): G => S.tensor(Float32Array.from(a.data), a.shape) as G;
const raw = (x: G) => Array.from(x.data());

/** A binary op on a broadcast pair of shapes, tensor operand or number operand. */
function binarySuite(
  name: string,
  f: (a: number, b: number) => number,
  opts: {
    a?: fc.Arbitrary<number>;
    b?: fc.Arbitrary<number>;
    grads?: "numeric" | ((a: Arr, b: Arr, dy: Arr) => [Arr, Arr]);
  } = {},
) {
  const ref = (xs: Arr[]) => R.zip(xs[0] as Arr, xs[1] as Arr, f);
  const grads =
    typeof opts.grads === "function"
      ? (xs: Arr[], dy: Arr) =>
          (opts.grads as (a: Arr, b: Arr, dy: Arr) => [Arr, Arr])(xs[0] as Arr, xs[1] as Arr, dy)
      : (opts.grads ?? "numeric");
  it(`${name}: tensor ⊗ tensor, broadcasting either or both sides`, () =>
    property(
      broadcastPair().chain(([sa, sb]) => fc.tuple(arrOf(sa, opts.a), arrOf(sb, opts.b), seed)),
      ([a, b, dySeed]) =>
        checkOp(S, { inputs: [a, b], run: ([x, y]) => call(x as G, name, y), ref, grads, dySeed }),
    ));
  it(`${name}Number: tensor ⊗ number`, () =>
    property(
      shapeArb().chain((s) => fc.tuple(arrOf(s, opts.a), opts.b ?? quarter, seed)),
      ([a, b, dySeed]) =>
        checkOp(S, {
          inputs: [a],
          run: ([x]) => call(x as G, name, b),
          ref: (xs) => R.map(xs[0] as Arr, (v) => f(v, b)),
          grads:
            typeof opts.grads === "function"
              ? (xs: Arr[], dy: Arr) => [
                  (opts.grads as (a: Arr, b: Arr, dy: Arr) => [Arr, Arr])(xs[0] as Arr, arr([], [b]), dy)[0],
                ]
              : (opts.grads ?? "numeric"),
          dySeed,
        }),
    ));
}

/** A unary op, on any shape. */
function unarySuite(
  name: string,
  f: (x: number) => number,
  opts: {
    values?: fc.Arbitrary<number>;
    grads?: "numeric" | "none" | ((x: Arr, dy: Arr) => Arr);
    method?: string;
  } = {},
) {
  it(`${name}: elementwise, any shape`, () =>
    property(
      shapeArb().chain((s) => fc.tuple(arrOf(s, opts.values), seed)),
      ([a, dySeed]) =>
        checkOp(S, {
          inputs: [a],
          run: ([x]) => call(x as G, opts.method ?? name),
          ref: (xs) => R.map(xs[0] as Arr, f),
          grads:
            typeof opts.grads === "function"
              ? (xs, dy) => [(opts.grads as (x: Arr, dy: Arr) => Arr)(xs[0] as Arr, dy)]
              : (opts.grads ?? "numeric"),
          dySeed,
        }),
    ));
}

/** dy masked where `keep` holds, summed back to the shape of `like`. */
const masked = (a: Arr, b: Arr, dy: Arr, keep: (x: number, y: number) => boolean, like: Arr) =>
  R.sumTo(
    R.zip3(a, b, dy, (x, y, g) => (keep(x, y) ? g : 0)),
    like.shape,
  );

describe("elementwise kernels", () => {
  binarySuite("add", (a, b) => a + b);
  binarySuite("sub", (a, b) => a - b);
  binarySuite("mul", (a, b) => a * b);
  binarySuite("div", (a, b) => a / b, { b: nonZero });
  binarySuite("pow", (a, b) => a ** b, { a: positive });
  binarySuite("maximum", Math.max, {
    grads: (a, b, dy) => [masked(a, b, dy, (x, y) => x >= y, a), masked(a, b, dy, (x, y) => x < y, b)],
  });
  binarySuite("minimum", Math.min, {
    grads: (a, b, dy) => [masked(a, b, dy, (x, y) => x <= y, a), masked(a, b, dy, (x, y) => x > y, b)],
  });
  it("pow with a number exponent of a negative base (x², x³)", () =>
    property(
      fc.tuple(
        shapeArb().chain((s) => arrOf(s)),
        fc.constantFrom(2, 3),
        seed,
      ),
      ([a, p, dySeed]) =>
        checkOp(S, {
          inputs: [a],
          run: ([x]) => call(x as G, "pow", p),
          ref: (xs) => R.map(xs[0] as Arr, (v) => v ** p),
          grads: "numeric",
          dySeed,
        }),
    ));
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  unarySuite("neg", (x) => -x);
  unarySuite("exp", Math.exp);
  unarySuite("log", Math.log, { values: positive });
  unarySuite("sqrt", Math.sqrt, { values: positive });
  unarySuite("abs", Math.abs, { grads: (x, dy) => R.zip(x, dy, (v, g) => Math.sign(v) * g) });
  unarySuite("sign", Math.sign, { grads: "none" });
  unarySuite("tanh", Math.tanh);
  unarySuite("sigmoid", sigmoid);
  unarySuite("relu", (x) => Math.max(x, 0), { grads: (x, dy) => R.zip(x, dy, (v, g) => (v > 0 ? g : 0)) });
  unarySuite("softplus", (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))));
  unarySuite("logSigmoid", (x) => Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x))));
  unarySuite("sin", Math.sin);
  unarySuite("cos", Math.cos);
  unarySuite("floor", Math.floor, { grads: "none" });
  // Halves round to even in tfjs (banker's rounding), as in NumPy.
  const roundHalfEven = (x: number) => {
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  };
  unarySuite("round", roundHalfEven, { grads: "none" });
  it("clip (clamp): values limited, gradient where no limit applied", () =>
    property(
      fc.tuple(
        shapeArb().chain((s) => arrOf(s)),
        quarter,
        quarter,
        seed,
      ),
      ([a, l, h, dySeed]) => {
        const [lo, hi] = l <= h ? [l, h] : [h, l];
        checkOp(S, {
          inputs: [a],
          run: ([x]) => call(x as G, "clamp", lo, hi),
          ref: (xs) => R.map(xs[0] as Arr, (v) => Math.min(Math.max(v, lo), hi)),
          grads: (xs, dy) => [R.zip(xs[0] as Arr, dy, (v, g) => (v >= lo && v <= hi ? g : 0))],
          dySeed,
        });
      },
    ));
  const comparisons: [string, (a: number, b: number) => boolean][] = [
    ["eq", (a, b) => a === b],
    ["ne", (a, b) => a !== b],
    ["lt", (a, b) => a < b],
    ["le", (a, b) => a <= b],
    ["gt", (a, b) => a > b],
    ["ge", (a, b) => a >= b],
  ];
  for (const [name, f] of comparisons) {
    it(`${name} and ${name}Number: 0/1 masks, broadcasting`, () =>
      property(
        broadcastPair().chain(([sa, sb]) => fc.tuple(arrOf(sa), arrOf(sb), quarter)),
        ([a, b, n]) => {
          checkOp(S, {
            inputs: [a, b],
            run: ([x, y]) => call(x as G, name, y),
            ref: (xs) => R.zip(xs[0] as Arr, xs[1] as Arr, (p, q) => Number(f(p, q))),
            grads: "none",
            dySeed: 0,
          });
          checkOp(S, {
            inputs: [a],
            run: ([x]) => call(x as G, name, n),
            ref: (xs) => R.map(xs[0] as Arr, (p) => Number(f(p, n))),
            grads: "none",
            dySeed: 0,
          });
        },
      ));
  }
  it("where: chooses by mask, all three broadcast, gradient to the chosen side", () =>
    property(
      shapeArb().chain((s) =>
        fc.tuple(
          fc
            .tuple(broadcastable(s), broadcastable(s), broadcastable(s))
            .chain(([sc, sa, sb]) => fc.tuple(arrOf(sc), arrOf(sa), arrOf(sb))),
          seed,
        ),
      ),
      ([[c, a, b], dySeed]) =>
        checkOp(S, {
          inputs: [c, a, b],
          constant: [0],
          run: ([m, x, y]) => S.where(m, x, y) as G,
          ref: (xs) => R.zip3(xs[0] as Arr, xs[1] as Arr, xs[2] as Arr, (m, x, y) => (m !== 0 ? x : y)),
          grads: (xs, dy) => {
            const [m, x, y] = xs as [Arr, Arr, Arr];
            return [
              m,
              masked(R.broadcastTo(m, dy.shape), x, dy, (v) => v !== 0, x),
              masked(R.broadcastTo(m, dy.shape), y, dy, (v) => v === 0, y),
            ];
          },
          dySeed,
        }),
    ));
});

/** Axes to reduce: null (all), or a sorted subset given as possibly negative numbers. */
const axesFor = (rank: number): fc.Arbitrary<number[] | null> =>
  rank === 0
    ? fc.constant(null)
    : fc.option(
        fc
          .subarray(
            Array.from({ length: rank }, (_, i) => i),
            { minLength: 1 },
          )
          .chain((axes) => fc.tuple(...axes.map((a) => fc.constantFrom(a, a - rank)))),
        { nil: null },
      );

describe("reduce kernels", () => {
  const reduction = (
    name: string,
    init: number,
    f: (acc: number, x: number) => number,
    finish?: (s: Arr, a: Arr, axes: number[] | null) => Arr,
  ) =>
    it(`${name}: over any axes (negative too), keepDims or not`, () =>
      property(
        shapeArb({ min: 1 }).chain((s) => fc.tuple(arrOf(s), axesFor(s.length), fc.boolean(), seed)),
        ([a, axes, keep, dySeed]) => {
          const ax = axes === null ? null : [...axes];
          const ref = (xs: Arr[]) => {
            const r = R.reduce(xs[0] as Arr, ax, keep, init, f);
            return finish === undefined ? r : finish(r, xs[0] as Arr, ax);
          };
          const extreme = name === "max" || name === "min";
          checkOp(S, {
            inputs: [a],
            run: ([x]) => call(x as G, name, ax === null ? undefined : ax, keep),
            ref,
            grads: extreme
              ? (xs, dy) => {
                  const x = xs[0] as Arr;
                  const y = R.reduce(x, ax, true, init, f);
                  const isTop = R.zip(x, y, (v, t) => (v === t ? 1 : 0));
                  const count = R.sum(isTop, ax, true);
                  const g = R.reshape(dy, y.shape);
                  return [R.zip3(isTop, g, count, (m, gv, n) => (m * gv) / n)];
                }
              : "numeric",
            dySeed,
          });
        },
      ));
  reduction("sum", 0, (s, x) => s + x);
  reduction(
    "mean",
    0,
    (s, x) => s + x,
    (s, a) => R.map(s, (v) => v / (a.data.length / Math.max(s.data.length, 1))),
  );
  reduction("max", -Infinity, Math.max);
  reduction("min", Infinity, Math.min);
  it("logSumExp (Tensor.logsumexp): over any axes, keepDims or not", () =>
    property(
      shapeArb({ min: 1 }).chain((s) => fc.tuple(arrOf(s), axesFor(s.length), fc.boolean(), seed)),
      ([a, axes, keep, dySeed]) => {
        const ax = axes === null ? null : [...axes];
        checkOp(S, {
          inputs: [a],
          run: ([x]) => call(x as G, "logsumexp", ax, keep),
          ref: (xs) => {
            const x = xs[0] as Arr;
            const top = R.reduce(x, ax, true, -Infinity, Math.max);
            const total = R.sum(
              R.zip(x, top, (v, t) => Math.exp(v - t)),
              ax,
              true,
            );
            const out = R.zip(total, top, (v, t) => Math.log(v) + t);
            return keep ? out : R.reshape(out, R.reduce(x, ax, false, 0, (q) => q).shape);
          },
          grads: "numeric",
          dySeed,
        });
      },
    ));
  for (const name of ["argmax", "argmin"]) {
    it(`${name}: the first index of the extreme value along an axis`, () =>
      property(
        shapeArb({ minRank: 1, min: 1 }).chain((s) =>
          fc.tuple(arrOf(s), fc.integer({ min: -s.length, max: s.length - 1 })),
        ),
        ([a, axis]) => {
          const ax = axis < 0 ? axis + a.shape.length : axis;
          const better =
            name === "argmax" ? (x: number, y: number) => x > y : (x: number, y: number) => x < y;
          const outShape = a.shape.filter((_, i) => i !== ax);
          const expected = arr(outShape);
          const best = arr(outShape);
          best.data.fill(Number.NaN);
          for (let f = 0; f < a.data.length; f++) {
            const idx = R.unravel(f, a.shape);
            const o = R.ravel(
              idx.filter((_, i) => i !== ax),
              outShape,
            );
            const v = a.data[f] ?? 0;
            if (Number.isNaN(best.data[o] ?? Number.NaN) || better(v, best.data[o] ?? 0)) {
              best.data[o] = v;
              expected.data[o] = idx[ax] ?? 0;
            }
          }
          const x = guest(a);
          expectClose(raw(call(x, name, axis)), expected, name);
          x.dispose();
        },
      ));
  }
  it("sumTo (broadcast gradients) and extremeBackward (ties share) — direct kernel calls", () =>
    property(
      shapeArb({ min: 1 }).chain((s) =>
        fc.tuple(
          broadcastable(s).chain((t) => fc.tuple(arrOf(s), fc.constant(t))),
          axesFor(s.length),
        ),
      ),
      ([[a, target], axes]) => {
        const x = guest(a);
        const h = host.k("sumTo", x.handle, target) as number;
        expectClose(host.tensor(h).dataSync(), R.sumTo(a, target), "sumTo");
        const ax = axes === null ? null : [...axes];
        const y = R.reduce(a, ax, true, -Infinity, Math.max);
        const yh = guest(y);
        const dy = guest(R.map(y, () => 1));
        const gh = host.k("extremeBackward", x.handle, yh.handle, dy.handle, ax) as number;
        const isTop = R.zip(a, y, (v, t) => (v === t ? 1 : 0));
        expectClose(
          host.tensor(gh).dataSync(),
          R.zip(isTop, R.sum(isTop, ax, true), (m, n) => m / n),
          "extremeBackward",
        );
        host.free(h);
        host.free(gh);
        for (const t of [x, yh, dy]) t.dispose();
      },
    ));
});

describe("movement kernels", () => {
  it("reshape (with −1), transpose (reversed, permutation, pair swap)", () =>
    property(
      shapeArb({ minRank: 1 }).chain((s) =>
        fc.tuple(
          arrOf(s),
          fc.shuffledSubarray(
            s.map((_, i) => i),
            { minLength: s.length, maxLength: s.length },
          ),
          seed,
        ),
      ),
      ([a, perm, dySeed]) => {
        const flatSize = a.data.length;
        checkOp(S, {
          inputs: [a],
          run: ([x]) => call(x as G, "reshape", [flatSize]),
          ref: (xs) => R.reshape(xs[0] as Arr, [flatSize]),
          grads: "numeric",
          dySeed,
        });
        if (flatSize > 0) {
          checkOp(S, {
            inputs: [a],
            run: ([x]) => call(x as G, "reshape", [-1, 1]),
            ref: (xs) => R.reshape(xs[0] as Arr, [flatSize, 1]),
            grads: "numeric",
            dySeed,
          });
        }
        checkOp(S, {
          inputs: [a],
          run: ([x]) => call(x as G, "transpose", perm),
          ref: (xs) => R.transpose(xs[0] as Arr, perm),
          grads: "numeric",
          dySeed,
        });
        checkOp(S, {
          inputs: [a],
          run: ([x]) => call(x as G, "transpose"),
          ref: (xs) => R.transpose(xs[0] as Arr),
          grads: "numeric",
          dySeed,
        });
      },
    ));
  it("slice and pad: any block, any amounts and pad value", () =>
    property(
      shapeArb({ minRank: 1 }).chain((s) =>
        fc.tuple(
          arrOf(s),
          fc.tuple(
            ...s.map((d) =>
              fc
                .integer({ min: 0, max: d })
                .chain((b) => fc.tuple(fc.constant(b), fc.integer({ min: 0, max: d - b }))),
            ),
          ),
          fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 2 * s.length, maxLength: 2 * s.length }),
          quarter,
          seed,
        ),
      ),
      ([a, block, amounts, value, dySeed]) => {
        const begin = block.map(([b]) => b);
        const size = block.map(([, n]) => n);
        checkOp(S, {
          inputs: [a],
          run: ([x]) => call(x as G, "slice", begin, size),
          ref: (xs) => R.slice(xs[0] as Arr, begin, size),
          grads: "numeric",
          dySeed,
        });
        checkOp(S, {
          inputs: [a],
          run: ([x]) => call(x as G, "pad", amounts, value),
          ref: (xs) => R.pad(xs[0] as Arr, amounts, value),
          grads: "numeric",
          dySeed,
        });
      },
    ));
  it("concat, stack, split, unstack along any axis", () =>
    property(
      shapeArb({ minRank: 1, maxRank: 3 }).chain((s) =>
        fc.tuple(
          fc.integer({ min: 0, max: s.length - 1 }).chain((axis) =>
            fc.tuple(
              fc.constant(axis),
              fc
                .array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 })
                .chain((sizes) =>
                  fc.tuple(...sizes.map((n) => arrOf(s.map((d, i) => (i === axis ? n : d))))),
                ),
            ),
          ),
          fc.array(arrOf(s), { minLength: 1, maxLength: 3 }),
          seed,
        ),
      ),
      ([[axis, parts], same, dySeed]) => {
        checkOp(S, {
          inputs: parts,
          run: (xs) => S.concat(xs, axis) as G,
          ref: (xs) => R.concat(xs, axis),
          grads: "numeric",
          dySeed,
        });
        checkOp(S, {
          inputs: same,
          run: (xs) => S.stack(xs, axis) as G,
          ref: (xs) => R.stack(xs, axis),
          grads: "numeric",
          dySeed,
        });
        const whole = R.concat(parts, axis);
        const x = guest(whole);
        const sizes = parts.map((p) => p.shape[axis] ?? 0);
        const pieces = host.k("split", x.handle, sizes, axis) as number[];
        pieces.forEach((h, i) => expectClose(host.tensor(h).dataSync(), parts[i] as Arr, `split piece ${i}`));
        const rows = host.k("unstack", x.handle, axis) as number[];
        expect(rows.length).toBe(whole.shape[axis]);
        rows.forEach((h, i) => {
          const begin = whole.shape.map((_, j) => (j === axis ? i : 0));
          const size = whole.shape.map((d, j) => (j === axis ? 1 : d));
          expectClose(host.tensor(h).dataSync(), R.slice(whole, begin, size), `unstack row ${i}`);
        });
        for (const h of [...pieces, ...rows]) host.free(h);
        x.dispose();
      },
    ));
  it("gather (repeated indices accumulate in the gradient) along any axis", () =>
    property(
      shapeArb({ minRank: 1, min: 1 }).chain((s) =>
        fc.tuple(
          arrOf(s),
          fc.integer({ min: 0, max: s.length - 1 }).chain((axis) =>
            fc.tuple(
              fc.constant(axis),
              shapeArb({ maxRank: 2 }).chain((is) =>
                arrOf(is, fc.integer({ min: 0, max: (s[axis] ?? 1) - 1 })),
              ),
            ),
          ),
          seed,
        ),
      ),
      ([a, [axis, indices], dySeed]) =>
        checkOp(S, {
          inputs: [a, indices],
          constant: [1],
          run: ([x, i]) => call(x as G, "gather", i, axis),
          ref: (xs) => R.gather(xs[0] as Arr, xs[1] as Arr, axis),
          grads: (xs, dy) => [R.gatherBackward(dy, xs[1] as Arr, (xs[0] as Arr).shape, axis), xs[1] as Arr],
          dySeed,
        }),
    ));
  it("broadcastTo and tile", () =>
    property(
      shapeArb().chain((s) =>
        fc.tuple(
          broadcastable(s).chain(arrOf),
          fc.constant(s),
          fc.array(fc.integer({ min: 0, max: 3 }), { minLength: s.length, maxLength: s.length }),
          seed,
        ),
      ),
      ([a, target, reps, dySeed]) => {
        checkOp(S, {
          inputs: [a],
          run: ([x]) => call(x as G, "broadcastTo", target),
          ref: (xs) => R.broadcastTo(xs[0] as Arr, target),
          grads: "numeric",
          dySeed,
        });
        const full = R.broadcastTo(a, target);
        const x = guest(full);
        const h = host.k("tile", x.handle, reps) as number;
        expectClose(host.tensor(h).dataSync(), R.tile(full, reps), "tile");
        host.free(h);
        x.dispose();
      },
    ));
});

describe("nn kernels", () => {
  it("matmul: batch dimensions broadcasting on either or both sides", () =>
    property(
      fc
        .tuple(
          broadcastPair({ maxRank: 3 }),
          fc.integer({ min: 0, max: 3 }),
          fc.integer({ min: 0, max: 3 }),
          fc.integer({ min: 0, max: 3 }),
        )
        .chain(([[ba, bb], m, kk, n]) => fc.tuple(arrOf([...ba, m, kk]), arrOf([...bb, kk, n]), seed)),
      ([a, b, dySeed]) =>
        checkOp(S, {
          inputs: [a, b],
          run: ([x, y]) => call(x as G, "matmul", y),
          ref: (xs) => R.matmul(xs[0] as Arr, xs[1] as Arr),
          grads: "numeric",
          dySeed,
        }),
    ));
  it("conv2d: every kernel size, stride and padding in range, with bias", () =>
    property(
      fc
        .record({
          n: fc.integer({ min: 1, max: 2 }),
          c: fc.integer({ min: 1, max: 2 }),
          o: fc.integer({ min: 1, max: 2 }),
          kh: fc.integer({ min: 1, max: 3 }),
          kw: fc.integer({ min: 1, max: 3 }),
          sh: fc.integer({ min: 1, max: 3 }),
          sw: fc.integer({ min: 1, max: 3 }),
          ph: fc.integer({ min: 0, max: 2 }),
          pw: fc.integer({ min: 0, max: 2 }),
          extraH: fc.integer({ min: 0, max: 3 }),
          extraW: fc.integer({ min: 0, max: 3 }),
        })
        .chain((p) => {
          const h = Math.max(1, p.kh - 2 * p.ph) + p.extraH;
          const w = Math.max(1, p.kw - 2 * p.pw) + p.extraW;
          return fc.tuple(
            fc.constant(p),
            arrOf([p.n, p.c, h, w]),
            arrOf([p.o, p.c, p.kh, p.kw]),
            arrOf([p.o]),
            seed,
          );
        }),
      ([p, x, w, b, dySeed]) => {
        const stride: [number, number] = [p.sh, p.sw];
        const padding: [number, number] = [p.ph, p.pw];
        checkOp(S, {
          inputs: [x, w, b],
          run: ([xi, wi, bi]) => S.conv2d(xi, wi, { stride, padding, bias: bi }) as G,
          ref: (xs) => {
            const y = R.conv2d(xs[0] as Arr, xs[1] as Arr, stride, padding);
            return R.zip(y, R.reshape(xs[2] as Arr, [1, p.o, 1, 1]), (u, v) => u + v);
          },
          grads: (xs, dy) => {
            const { dx, dw } = R.conv2dBackward(xs[0] as Arr, xs[1] as Arr, dy, stride, padding);
            return [dx, dw, R.sumTo(dy, [1, p.o, 1, 1])].map((g, i) => R.reshape(g, (xs[i] as Arr).shape));
          },
          dySeed,
        });
      },
    ));
  for (const kind of ["max", "avg"] as const) {
    it(`${kind}Pool2d: every kernel size, stride and padding (≤ half the kernel), square or not, ties and negatives`, () =>
      property(
        fc
          .record({
            n: fc.integer({ min: 1, max: 2 }),
            c: fc.integer({ min: 1, max: 2 }),
            k: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
            s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
            extraH: fc.integer({ min: 0, max: 3 }),
            extraW: fc.integer({ min: 0, max: 3 }),
            padPick: fc.nat(),
          })
          .chain((p) => {
            const pad = p.padPick % (Math.floor(Math.min(...p.k) / 2) + 1);
            const h = Math.max(1, p.k[0] - 2 * pad) + p.extraH;
            const w = Math.max(1, p.k[1] - 2 * pad) + p.extraW;
            return fc.tuple(fc.constant({ ...p, pad }), arrOf([p.n, p.c, h, w]), seed);
          }),
        ([p, x, dySeed]) =>
          checkOp(S, {
            inputs: [x],
            run: ([xi]) => call(xi as G, `${kind}Pool2d`, p.k, p.s, p.pad),
            ref: (xs) => R.pool2d(kind, xs[0] as Arr, p.k, p.s, p.pad).y,
            grads: (xs, dy) => [R.pool2d(kind, xs[0] as Arr, p.k, p.s, p.pad, dy).dx],
            dySeed,
          }),
      ));
  }
  for (const name of ["softmax", "logSoftmax"]) {
    it(`${name} along any axis`, () =>
      property(
        shapeArb({ minRank: 1 }).chain((s) =>
          fc.tuple(arrOf(s), fc.integer({ min: -s.length, max: s.length - 1 }), seed),
        ),
        ([a, axis, dySeed]) =>
          checkOp(S, {
            inputs: [a],
            run: ([x]) => call(x as G, name, axis),
            ref: (xs) => (name === "softmax" ? R.softmax : R.logSoftmax)(xs[0] as Arr, axis),
            grads: "numeric",
            dySeed,
          }),
      ));
  }
});

describe("linear-algebra kernels", () => {
  /** Batched square matrices: batch shape, size n, and a right-hand side [batch', n, k]. */
  const systems = fc
    .tuple(
      broadcastPair({ maxRank: 2, min: 1, max: 2 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 3 }),
    )
    .chain(([[ba, bb], n, kk]) =>
      fc.tuple(arrOf([...ba, n, n]), arrOf([...bb, n, kk]), fc.constant(n), seed),
    );
  /** Adds c·I to every matrix: diagonally dominant, so well conditioned and invertible. */
  const shift = (a: Arr, n: number, c: number) =>
    R.map(a, (v) => v).data.length === 0
      ? a
      : { shape: a.shape, data: a.data.map((v, f) => (Math.floor(f / n) % n === f % n ? v + c : v)) };
  const sym = (a: Arr) => {
    const p = a.shape.map((_, i) => i);
    const r = p.length;
    [p[r - 2], p[r - 1]] = [r - 1, r - 2];
    return R.zip(a, R.transpose(a, p), (x, y) => (x + y) / 2);
  };
  it("cholesky of a symmetric positive definite batch, gradient through (A + Aᵀ)/2", () =>
    property(systems, ([m, , n, dySeed]) => {
      const a = shift(R.matmul(m, m, false, true), n, n);
      checkOp(S, {
        inputs: [a],
        run: ([x]) =>
          S.cholesky(call(call(x as G, "add", call(x as G, "transpose", -1, -2)), "mul", 0.5)) as G,
        ref: (xs) => R.cholesky(sym(xs[0] as Arr)),
        grads: "numeric",
        dySeed,
        tol: 5e-3,
      });
    }));
  it("solve: A·X = B with batch dimensions broadcasting", () =>
    property(systems, ([m, b, n, dySeed]) =>
      checkOp(S, {
        inputs: [shift(m, n, 4 * n), b],
        run: ([x, y]) => S.solve(x, y) as G,
        ref: (xs) => R.matmul(R.inverse(xs[0] as Arr), xs[1] as Arr),
        grads: "numeric",
        dySeed,
        tol: 5e-3,
      }),
    ));
  it("triangularSolve (solveTriangular): lower or upper, transposed or not", () =>
    property(fc.tuple(systems, fc.boolean(), fc.boolean()), ([[m, b, n, dySeed], lower, transpose]) =>
      checkOp(S, {
        inputs: [shift(m, n, 4 * n), b],
        run: ([x, y]) => S.solveTriangular(x, y, { lower, transpose }) as G,
        ref: (xs) => {
          const t = R.triangle(xs[0] as Arr, lower);
          const inv = R.inverse(t);
          const p = t.shape.map((_, i) => i);
          const r = p.length;
          [p[r - 2], p[r - 1]] = [r - 1, r - 2];
          return R.matmul(transpose ? R.transpose(inv, p) : inv, xs[1] as Arr);
        },
        grads: "numeric",
        dySeed,
        tol: 5e-3,
      }),
    ));
});

describe("creation kernels", () => {
  it("tensor, read, fill, clone, cast, oneHot", () =>
    property(
      shapeArb().chain((s) => fc.tuple(arrOf(s), quarter, seed)),
      ([a, v, dySeed]) => {
        const x = guest(a);
        expectClose(x.data(), a, "tensor/read");
        const filled = S.full(a.shape, v) as G;
        expectClose(
          filled.data(),
          R.map(a, () => v),
          "fill",
        );
        checkOp(S, {
          inputs: [a],
          run: ([t]) => call(t as G, "clone"),
          ref: (xs) => xs[0] as Arr,
          grads: "numeric",
          dySeed,
        });
        const h = host.k("cast", x.handle, "int32") as number;
        expectClose(host.tensor(h).dataSync(), R.map(a, Math.trunc), "cast to int32");
        host.free(h);
        const labels = R.map(a, (t) => Math.abs(Math.trunc(t)));
        const depth = 4;
        const hot = S.oneHot(guest(labels), depth) as G;
        const expected = arr([...a.shape, depth]);
        labels.data.forEach((l, i) => (expected.data[i * depth + l] = 1));
        expectClose(hot.data(), expected, "oneHot");
        for (const t of [x, filled, hot]) t.dispose();
      },
    ));
  it("arange: start, stop, step of either sign", () =>
    property(fc.tuple(quarter, quarter, nonZero), ([start, stop, step]) => {
      const expected: number[] = [];
      for (let v = start; step > 0 ? v < stop : v > stop; v += step) expected.push(v);
      const x = S.arange(start, stop, step) as G;
      expectClose(x.data(), arr([expected.length], expected), "arange");
      x.dispose();
    }));
  it("randn, rand, randint: shapes, ranges and reproducibility under seed()", () =>
    property(
      fc.tuple(
        shapeArb(),
        fc.integer({ min: 0, max: 1000 }),
        quarter,
        positive,
        fc.integer({ min: -3, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
      ),
      ([shape, s, low, width, ilow, iwidth]) => {
        const draw = () => {
          S.seed(s);
          return [
            S.randn(shape),
            S.rand(shape, low, low + width),
            S.randint(ilow, ilow + iwidth, shape),
          ] as G[];
        };
        const first = draw();
        const again = draw();
        first.forEach((t, i) => {
          expect([...t.shape]).toEqual(shape);
          expect(raw(t)).toEqual(raw(again[i] as G));
        });
        const [n, u, r] = first.map(raw) as [number[], number[], number[]];
        expect(n.every(Number.isFinite)).toBe(true);
        expect(u.every((v) => v >= low && v < low + width)).toBe(true);
        expect(r.every((v) => Number.isInteger(v) && v >= ilow && v < ilow + iwidth)).toBe(true);
        for (const t of [...first, ...again]) t.dispose();
        expect(["cpu", "wasm", "webgl", "webgpu"]).toContain(S.backend());
      },
    ));
});

describe("optim kernels", () => {
  it("adamStep equals the Adam update written out in float64", () =>
    property(
      shapeArb({ maxRank: 2 }).chain((s) =>
        fc.tuple(
          arrOf(s),
          arrOf(s),
          arrOf(s),
          arrOf(s, positive),
          fc.integer({ min: 1, max: 5 }),
          fc.constantFrom(0, 0.01),
        ),
      ),
      ([p, g, m, v, t, wd]) => {
        const [lr, b1, b2, eps] = [0.01, 0.9, 0.999, 1e-8];
        const ts = [p, g, m, v].map(guest);
        const [hp, hm, hv] = host.k(
          "adamStep",
          ...ts.map((x) => x.handle),
          lr,
          b1,
          b2,
          eps,
          t,
          wd,
        ) as number[];
        const grad = R.zip(g, p, (gi, pi) => gi + wd * pi);
        const m2 = R.zip(m, grad, (mi, gi) => b1 * mi + (1 - b1) * gi);
        const v2 = R.zip(v, grad, (vi, gi) => b2 * vi + (1 - b2) * gi * gi);
        const step = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
        const p2 = R.zip3(p, m2, v2, (pi, mi, vi) => pi - (step * mi) / (Math.sqrt(vi) + eps));
        expectClose(host.tensor(hp as number).dataSync(), p2, "p'");
        expectClose(host.tensor(hm as number).dataSync(), m2, "m'");
        expectClose(host.tensor(hv as number).dataSync(), v2, "v'");
        for (const h of [hp, hm, hv]) host.free(h as number);
        for (const x of ts) x.dispose();
      },
    ));
});

describe("fused training kernels", () => {
  const dims = fc.integer({ min: 1, max: 4 });
  const read = (h: number) => host.tensor(h).dataSync();
  const free = (...hs: number[]) => hs.forEach((h) => host.free(h));
  /** Σ_rows dy: the bias gradient. */
  const rowSum = (dy: Arr) => R.sum(dy, [0]);

  it("linear = x @ weight + bias; linearBackward gives dx = dy·Wᵀ, dW = xᵀ·dy, db = Σ_rows dy", () =>
    property(
      fc
        .tuple(fc.integer({ min: 0, max: 4 }), dims, dims)
        .chain(([n, i, o]) =>
          fc.tuple(arrOf([n, i]), arrOf([i, o]), arrOf([o]), arrOf([n, o]), fc.boolean(), fc.boolean()),
        ),
      ([x, w, b, dy, inputGrad, biasGrad]) => {
        const [tx, tw, tb, tdy] = [guest(x), guest(w), guest(b), guest(dy)];
        const y = host.k("linear", tx.handle, tw.handle, tb.handle) as number;
        expectClose(
          read(y),
          R.zip(
            R.matmul(x, w),
            R.broadcastTo(b, [x.shape[0] as number, b.shape[0] as number]),
            (p, q) => p + q,
          ),
          "linear",
        );
        const grads = host.k(
          "linearBackward",
          tx.handle,
          tw.handle,
          tdy.handle,
          inputGrad,
          biasGrad,
        ) as number[];
        const expected = [
          ...(inputGrad ? [R.matmul(dy, w, false, true)] : []),
          R.matmul(x, dy, true, false),
          ...(biasGrad ? [rowSum(dy)] : []),
        ];
        expect(grads).toHaveLength(expected.length);
        expected.forEach((e, i) => expectClose(read(grads[i] as number), e, `linearBackward ${i}`));
        free(y, ...grads);
        for (const t of [tx, tw, tb, tdy]) t.dispose();
      },
    ));

  it("linearRelu = [relu(x @ W + b), x @ W + b]; linearReluBackward masks dy where the pre-activation ≤ 0", () =>
    property(
      fc
        .tuple(fc.integer({ min: 0, max: 4 }), dims, dims)
        .chain(([n, i, o]) =>
          fc.tuple(arrOf([n, i]), arrOf([i, o]), arrOf([o]), arrOf([n, o]), fc.boolean(), fc.boolean()),
        ),
      ([x, w, b, dy, inputGrad, biasGrad]) => {
        const [tx, tw, tb, tdy] = [guest(x), guest(w), guest(b), guest(dy)];
        const pre = R.zip(
          R.matmul(x, w),
          R.broadcastTo(b, [x.shape[0] as number, b.shape[0] as number]),
          (p, q) => p + q,
        );
        const [y, hpre] = host.k("linearRelu", tx.handle, tw.handle, tb.handle) as number[];
        expectClose(
          read(y as number),
          R.map(pre, (v) => Math.max(v, 0)),
          "linearRelu",
        );
        expectClose(read(hpre as number), pre, "linearRelu pre-activation");
        const grads = host.k(
          "linearReluBackward",
          tx.handle,
          tw.handle,
          hpre,
          tdy.handle,
          inputGrad,
          biasGrad,
        ) as number[];
        const dpre = R.zip(dy, pre, (d, p) => (p > 0 ? d : 0));
        const expected = [
          ...(inputGrad ? [R.matmul(dpre, w, false, true)] : []),
          R.matmul(x, dpre, true, false),
          ...(biasGrad ? [R.sum(dpre, [0])] : []),
        ];
        expect(grads).toHaveLength(expected.length);
        expected.forEach((e, i) => expectClose(read(grads[i] as number), e, `linearReluBackward ${i}`));
        free(y as number, hpre as number, ...grads);
        for (const t of [tx, tw, tb, tdy]) t.dispose();
      },
    ));

  it("conv2dReluMaxPool = maxPool2d(relu(conv2d(x, W) + b)) with its NHWC intermediates; its backward = the three layers' gradients", () =>
    property(
      fc
        .record({
          n: fc.integer({ min: 1, max: 2 }),
          c: fc.integer({ min: 1, max: 2 }),
          o: fc.integer({ min: 1, max: 2 }),
          kh: fc.integer({ min: 1, max: 3 }),
          kw: fc.integer({ min: 1, max: 3 }),
          sh: fc.integer({ min: 1, max: 2 }),
          sw: fc.integer({ min: 1, max: 2 }),
          ph: fc.integer({ min: 0, max: 1 }),
          pw: fc.integer({ min: 0, max: 1 }),
          q: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
          qs: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
          padPick: fc.nat(),
          extraH: fc.integer({ min: 0, max: 3 }),
          extraW: fc.integer({ min: 0, max: 3 }),
          inputGrad: fc.boolean(),
          biasGrad: fc.boolean(),
        })
        .chain((p) => {
          // The convolution's output must hold a pooling window (padded or not).
          const h = Math.max(1, (p.q[0] - 1) * p.sh + p.kh - 2 * p.ph) + p.extraH;
          const w = Math.max(1, (p.q[1] - 1) * p.sw + p.kw - 2 * p.pw) + p.extraW;
          const qp = p.padPick % (Math.floor(Math.min(...p.q) / 2) + 1);
          return fc.tuple(
            fc.constant({ ...p, h, w, qp }),
            arrOf([p.n, p.c, h, w]),
            arrOf([p.o, p.c, p.kh, p.kw]),
            arrOf([p.o]),
          );
        }),
      ([p, x, w, b]) => {
        const stride: [number, number] = [p.sh, p.sw];
        const pad: [number, number] = [p.ph, p.pw];
        const [tx, tw, tb] = [guest(x), guest(w), guest(b)];
        const nhwc = (a: Arr) => R.transpose(a, [0, 2, 3, 1]);
        const handles = host.k(
          "conv2dReluMaxPool",
          tx.handle,
          tw.handle,
          tb.handle,
          stride,
          pad,
          p.q,
          p.qs,
          p.qp,
        ) as number[];
        const [hy, hx, hpre, ha, hpooled] = handles as [number, number, number, number, number];
        const preRef = R.zip(R.conv2d(x, w, stride, pad), R.reshape(b, [1, p.o, 1, 1]), (u, v) => u + v);
        expectClose(read(hpre), nhwc(preRef), "conv2dReluMaxPool pre-activation (NHWC)");
        expectClose(read(hx), nhwc(x), "conv2dReluMaxPool input (NHWC)");
        // Pooling and ReLU from the host's own pre-activation, so a float32 near-tie cannot flip a maximum.
        const [pn, po, ph, pw] = preRef.shape as [number, number, number, number];
        const pre = R.transpose(arr([pn, ph, pw, po], Array.from(read(hpre))), [0, 3, 1, 2]);
        const relu = R.map(pre, (v) => Math.max(v, 0));
        const pooled = R.pool2d("max", relu, p.q, p.qs, p.qp).y;
        expectClose(read(ha), nhwc(relu), "conv2dReluMaxPool ReLU output (NHWC)");
        expectClose(read(hpooled), nhwc(pooled), "conv2dReluMaxPool pooled output (NHWC)");
        expectClose(read(hy), pooled, "conv2dReluMaxPool");
        const dy = upstream(pooled.shape, p.n * 31 + p.o);
        const tdy = guest(dy);
        const grads = host.k(
          "conv2dReluMaxPoolBackward",
          hx,
          tw.handle,
          hpre,
          ha,
          hpooled,
          tdy.handle,
          stride,
          pad,
          p.q,
          p.qs,
          p.qp,
          p.inputGrad,
          p.biasGrad,
        ) as number[];
        const da = R.pool2d("max", relu, p.q, p.qs, p.qp, dy).dx;
        const dpre = R.zip(da, pre, (d, v) => (v > 0 ? d : 0));
        const { dx, dw } = R.conv2dBackward(x, w, dpre, stride, pad);
        const expected = [
          ...(p.inputGrad ? [dx] : []),
          dw,
          ...(p.biasGrad ? [R.reshape(R.sumTo(dpre, [1, p.o, 1, 1]), [p.o])] : []),
        ];
        expect(grads).toHaveLength(expected.length);
        expected.forEach((e, i) =>
          expectClose(read(grads[i] as number), e, `conv2dReluMaxPoolBackward ${i}`),
        );
        free(...handles, ...grads);
        for (const t of [tx, tw, tb, tdy]) t.dispose();
      },
    ));

  it("crossEntropy = [−mean log softmax(logits)[label], log softmax(logits)]; crossEntropyBackward from the log softmax = (softmax − onehot)·dy/n", () =>
    property(
      fc
        .tuple(dims, fc.integer({ min: 2, max: 4 }))
        .chain(([n, c]) =>
          fc.tuple(
            arrOf([n, c]),
            fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: n, maxLength: n }),
            quarter,
          ),
        ),
      ([logits, labels, dyValue]) => {
        const [n, c] = logits.shape as [number, number];
        const tl = guest(logits);
        const ty = guest(arr([n], labels));
        const tdy = guest(arr([], [dyValue]));
        const logp = R.logSoftmax(logits, 1);
        const picked = labels.map((label, i) => logp.data[i * c + label] as number);
        const [loss, hlogp] = host.k("crossEntropy", tl.handle, ty.handle) as number[];
        expectClose(read(loss as number), arr([], [-picked.reduce((a, v) => a + v, 0) / n]), "crossEntropy");
        expectClose(read(hlogp as number), logp, "crossEntropy log softmax");
        const g = host.k("crossEntropyBackward", hlogp, ty.handle, tdy.handle) as number;
        const p = R.softmax(logits, 1);
        const ref = arr(
          [n, c],
          Array.from(p.data, (pv, k) => ((pv - (labels[Math.floor(k / c)] === k % c ? 1 : 0)) * dyValue) / n),
        );
        expectClose(read(g), ref, "crossEntropyBackward");
        free(loss as number, hlogp as number, g);
        for (const t of [tl, ty, tdy]) t.dispose();
      },
    ));

  it("adamSteps updates every parameter as adamStep does, in one call", () =>
    property(
      fc.array(
        shapeArb({ maxRank: 2 }).chain((s) => fc.tuple(arrOf(s), arrOf(s), arrOf(s), arrOf(s, positive))),
        { minLength: 1, maxLength: 3 },
      ),
      (params) => {
        const [lr, b1, b2, eps, t, wd] = [0.01, 0.9, 0.999, 1e-8, 3, 0.01];
        const ts = params.map((group) => group.map(guest));
        const out = host.k(
          "adamSteps",
          ts.flat().map((x) => x.handle),
          lr,
          b1,
          b2,
          eps,
          t,
          wd,
        ) as number[];
        expect(out).toHaveLength(3 * params.length);
        params.forEach(([p, g, m, v], i) => {
          const grad = R.zip(g as Arr, p as Arr, (gi, pi) => gi + wd * pi);
          const m2 = R.zip(m as Arr, grad, (mi, gi) => b1 * mi + (1 - b1) * gi);
          const v2 = R.zip(v as Arr, grad, (vi, gi) => b2 * vi + (1 - b2) * gi * gi);
          const step = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
          const p2 = R.zip3(p as Arr, m2, v2, (pi, mi, vi) => pi - (step * mi) / (Math.sqrt(vi) + eps));
          [p2, m2, v2].forEach((e, j) =>
            expectClose(read(out[3 * i + j] as number), e, `adamSteps ${i}.${j}`),
          );
        });
        free(...out);
        for (const x of ts.flat()) x.dispose();
      },
    ));

  it("sgdSteps: plain, with weight decay, and with momentum (first step and later)", () =>
    property(
      fc.tuple(
        fc.array(
          shapeArb({ maxRank: 2 }).chain((s) => fc.tuple(arrOf(s), arrOf(s), arrOf(s))),
          { minLength: 1, maxLength: 3 },
        ),
        fc.constantFrom(0, 0.9),
        fc.constantFrom(0, 0.01),
        fc.boolean(),
      ),
      ([params, momentum, wd, first]) => {
        const lr = 0.1;
        const withBuffer = momentum > 0 && !first;
        const ts = params.map(([p, g, b]) => (withBuffer ? [p, g, b] : [p, g]).map((a) => guest(a as Arr)));
        const out = host.k(
          "sgdSteps",
          ts.flat().map((x) => x.handle),
          lr,
          momentum,
          wd,
          first,
        ) as number[];
        const per = momentum > 0 ? 2 : 1;
        expect(out).toHaveLength(per * params.length);
        params.forEach(([p, g, b], i) => {
          const grad = R.zip(g as Arr, p as Arr, (gi, pi) => gi + wd * pi);
          const buffer = withBuffer ? R.zip(b as Arr, grad, (bi, gi) => momentum * bi + gi) : grad;
          const step = momentum > 0 ? buffer : grad;
          expectClose(
            read(out[per * i] as number),
            R.zip(p as Arr, step, (pi, si) => pi - lr * si),
            `sgd p ${i}`,
          );
          if (momentum > 0) expectClose(read(out[per * i + 1] as number), buffer, `sgd buffer ${i}`);
        });
        free(...out);
        for (const x of ts.flat()) x.dispose();
      },
    ));
});

describe("oracle kernels", () => {
  it("oracleForward and oracleGrads agree with the float64 reference (elementwise ops, broadcasting)", () =>
    property(
      fc.tuple(
        broadcastPair({ min: 1 }).chain(([sa, sb]) => fc.tuple(arrOf(sa), arrOf(sb))),
        fc.constantFrom("add", "sub", "mul"),
      ),
      ([[a, b], op]) => {
        const f = {
          add: (x: number, y: number) => x + y,
          sub: (x: number, y: number) => x - y,
          mul: (x: number, y: number) => x * y,
        }[op];
        const [x, y] = [guest(a), guest(b)];
        const expected = R.zip(a, b, f);
        const out = host.k("oracleForward", op, [x.handle, y.handle], "{}") as number;
        expectClose(host.tensor(out).dataSync(), expected, "oracleForward");
        const dy = guest(R.map(expected, () => 1));
        const grads = host.k("oracleGrads", op, [x.handle, y.handle], dy.handle, "{}") as number[];
        const ref = [
          R.numericGrad(
            (xs) => R.zip(xs[0] as Arr, xs[1] as Arr, f),
            [a, b],
            R.map(expected, () => 1),
            0,
          ),
          R.numericGrad(
            (xs) => R.zip(xs[0] as Arr, xs[1] as Arr, f),
            [a, b],
            R.map(expected, () => 1),
            1,
          ),
        ];
        grads.forEach((h, i) => expectClose(host.tensor(h).dataSync(), ref[i] as Arr, `oracleGrads ${i}`));
        for (const h of [out, ...grads]) host.free(h);
        for (const t of [x, y, dy]) t.dispose();
      },
    ));
});

describe("data kernels", () => {
  it("dataMnist: n distinct rows of pixels in [0, 1] with digit labels, the same for the same seed", () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 1000 }), (n, s) => {
        const [x, y] = host.k("dataMnist", n, s) as [number, number];
        const [x2] = host.k("dataMnist", n, s) as [number, number];
        expect(host.shape(x)).toEqual([n, 784]);
        const pixels = host.tensor(x).dataSync();
        expect(pixels.every((v) => v >= 0 && v <= 1)).toBe(true);
        expect(Array.from(host.tensor(x2).dataSync())).toEqual(Array.from(pixels));
        expect(
          Array.from(host.tensor(y).dataSync()).every((v) => Number.isInteger(v) && v >= 0 && v <= 9),
        ).toBe(true);
        for (const h of [x, y, x2]) host.free(h);
      }),
      params(Math.min(5, params().numRuns ?? 5)),
    ));
  it("dataTable and dataText: every table is rectangular, every text non-empty", () => {
    for (const name of [
      "penguins",
      "cars",
      "anscombe",
      "stocks",
      "sp500",
      "seattleWeather",
      "boston",
      "wages",
      "iris",
    ]) {
      const table = JSON.parse(host.k("dataTable", name) as string) as {
        columns: string[];
        rows: unknown[][];
      };
      expect(table.rows.length, name).toBeGreaterThan(0);
      expect(
        table.rows.every((r) => r.length === table.columns.length),
        name,
      ).toBe(true);
    }
    for (const name of ["mobyDick", "femaleNames", "maleNames"]) {
      expect((host.k("dataText", name) as string).length, name).toBeGreaterThan(0);
    }
  });
});

describe("completeness", () => {
  it("every kernel of the table was exercised by a property suite above", () => {
    const table = Object.keys(createKernelTable(nodeDataSource));
    expect(table.filter((name) => !called.has(name))).toEqual([]);
  });
});
