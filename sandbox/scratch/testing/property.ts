/**
 * The harness of the differential property suites: fast-check generators for shapes (with
 * broadcasting on either or both sides, size-1 and empty dimensions) and values (a quarter grid, so
 * negative values and ties are common and every value is exact in float32), and `checkOp`, which
 * runs a guest op forward and backward and compares both with the float64 reference.
 *
 * Runs per property: SCRATCH_PROPERTY_RUNS (default 12, kept small for CI); a failing seed is
 * printed by fast-check and replays with SCRATCH_PROPERTY_SEED (and SCRATCH_PROPERTY_PATH).
 */
import fc from "fast-check";
import { expect } from "vitest";
import { arr, numericGrad, sizeOf, type Arr } from "./reference.js";

/** A guest tensor as the property suites use it (the guest library is untyped JavaScript). */
export interface G {
  readonly shape: number[];
  readonly handle: number;
  grad: G | null;
  data(): Float32Array;
  requiresGrad(flag?: boolean): G;
  backward(grad?: G): void;
  dispose(): void;
}

/** Calls method `name` of a guest tensor. */
export function call(x: G, name: string, ...args: unknown[]): G {
  const f = (x as unknown as Record<string, unknown>)[name];
  if (typeof f !== "function") throw new TypeError(`tensor has no method ${name}`);
  return (f as (...a: unknown[]) => G).apply(x, args);
}

export const runs = Number(process.env.SCRATCH_PROPERTY_RUNS ?? 12);
const seedEnv = process.env.SCRATCH_PROPERTY_SEED;
const pathEnv = process.env.SCRATCH_PROPERTY_PATH;

/** fast-check parameters for every suite: bounded runs, a replayable seed printed on failure. */
export function params(numRuns = runs): fc.Parameters<unknown> {
  return {
    numRuns,
    ...(seedEnv === undefined ? {} : { seed: Number(seedEnv) }),
    ...(pathEnv === undefined ? {} : { path: pathEnv }),
  };
}

/** Values on a quarter grid in [−3, 3]: negatives, zeros and ties are frequent. */
export const quarter = fc.integer({ min: -12, max: 12 }).map((v) => v / 4);
/** Positive quarter-grid values in [0.25, 3]. */
export const positive = fc.integer({ min: 1, max: 12 }).map((v) => v / 4);
/** Non-zero quarter-grid values (denominators). */
export const nonZero = fc.tuple(positive, fc.boolean()).map(([v, neg]) => (neg ? -v : v));

/** A shape of rank 0–4 with sizes 0–3 (empty and size-1 dimensions included). */
export const shapeArb = (opts: { minRank?: number; maxRank?: number; min?: number; max?: number } = {}) =>
  fc.array(fc.integer({ min: opts.min ?? 0, max: opts.max ?? 3 }), {
    minLength: opts.minRank ?? 0,
    maxLength: opts.maxRank ?? 4,
  });

/** A shape that broadcasts to `shape`: leading axes dropped, some axes set to 1. */
export const broadcastable = (shape: readonly number[]) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: shape.length }),
      fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
    )
    .map(([drop, ones]) => shape.map((d, i) => (ones[i] === true ? 1 : d)).slice(drop));

/** Two shapes broadcasting to a common one (either side, both, or neither). */
export const broadcastPair = (opts?: Parameters<typeof shapeArb>[0]) =>
  shapeArb(opts).chain((s) => fc.tuple(broadcastable(s), broadcastable(s)));

/** An array of the given shape with values from `values`. */
export const arrOf = (shape: readonly number[], values: fc.Arbitrary<number> = quarter): fc.Arbitrary<Arr> =>
  fc.array(values, { minLength: sizeOf(shape), maxLength: sizeOf(shape) }).map((v) => arr(shape, v));

/** Deterministic quarter-grid values for an upstream gradient of a shape only known later. */
export function upstream(shape: readonly number[], seed: number): Arr {
  let s = seed >>> 0;
  const next = () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return ((s >>> 8) % 17) - 8;
  };
  const out = arr(shape);
  for (let i = 0; i < out.data.length; i++) out.data[i] = next() / 4;
  return out;
}

/** |actual − expected| ≤ tol·(1 + |expected|) everywhere, same shape; NaN matches NaN. */
export function expectClose(actual: ArrayLike<number>, expected: Arr, what: string, tol = 2e-3): void {
  expect(actual.length, `${what}: number of values`).toBe(expected.data.length);
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual[i] ?? Number.NaN;
    const e = expected.data[i] ?? Number.NaN;
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    const ok = Math.abs(a - e) <= tol * (1 + Math.abs(e));
    if (!ok) expect.fail(`${what}: value ${i} is ${a}, the float64 reference says ${e}`);
  }
}

export interface OpCheck {
  /** Inputs; those listed in `constant` get no gradient (labels, indices, masks). */
  inputs: Arr[];
  constant?: number[];
  /** The guest op. */
  run(xs: G[]): G;
  /** The float64 reference of the op. */
  ref(xs: Arr[]): Arr;
  /**
   * Reference gradients of Σ dy·op for each input: "numeric" (central differences of `ref`, for
   * smooth ops), a function (for ops with kinks or ties), or "none" (the op has no gradient).
   */
  grads: "numeric" | "none" | ((xs: Arr[], dy: Arr) => Arr[]);
  /** Seed of the upstream gradient. */
  dySeed: number;
  tol?: number;
}

/** Runs a guest op on float32 copies of the inputs and checks forward and backward. */
export function checkOp(
  S: { tensor(v: Float32Array, shape: number[]): G; tidy<T>(f: () => T): T },
  c: OpCheck,
) {
  const constant = new Set(c.constant ?? []);
  const expected = c.ref(c.inputs);
  const xs = c.inputs.map((a, i) => {
    const t = S.tensor(Float32Array.from(a.data), a.shape);
    return c.grads === "none" || constant.has(i) ? t : t.requiresGrad();
  });
  try {
    S.tidy(() => {
      const y = c.run(xs);
      expect([...y.shape], "output shape").toEqual(expected.shape);
      expectClose(y.data(), expected, "forward", c.tol);
      if (c.grads === "none") return;
      const dy = upstream(expected.shape, c.dySeed);
      y.backward(S.tensor(Float32Array.from(dy.data), dy.shape));
      const reference =
        c.grads === "numeric"
          ? c.inputs.map((_, i) => (constant.has(i) ? null : numericGrad(c.ref, c.inputs, dy, i)))
          : c.grads(c.inputs, dy);
      xs.forEach((x, i) => {
        const r = reference[i];
        if (constant.has(i) || r === null || r === undefined) return;
        const g = x.grad === null ? new Float32Array(sizeOf(x.shape)) : x.grad.data();
        if (x.grad !== null) expect([...x.grad.shape], `gradient ${i} shape`).toEqual([...x.shape]);
        expectClose(g, r, `gradient of input ${i}`, c.tol);
      });
    });
  } finally {
    for (const x of xs) x.dispose();
  }
}
