/**
 * The kernel table walked with hostile arguments (issue 14, point 3), on the wasm backend the
 * server uses. Generated: for every kernel and every argument position, each out-of-range value of
 * that argument's kind (huge, negative and non-int32 sizes, bad axes and permutations, index
 * tensors holding out-of-range, negative or NaN values, shapes whose broadcast or product
 * overflows, empty and mismatched tensor lists, unknown dtypes and oracle attributes) replaces the
 * baseline argument, and the call goes through the kernel's guard and — when the guard admits it
 * within a 64 MB quota — its run. Every call must either be refused by the guard with an error
 * naming the scratch operation, or succeed with a result no larger than the guard said, without
 * exposing freed memory (a secret pattern is freed before each call) or changing a live tensor.
 *
 * Also: every kernel of the table has a guard (a new kernel without one fails here by name).
 */
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { KernelArgumentError } from "../../kernel/argument-error.js";
import type { ArgKind, Kernel, KernelArg, KernelResult } from "../../kernel/types.js";
import { initNodeBackend } from "../kernels/backend-node.js";
import { nodeDataSource } from "../kernels/data-node.js";
import { guards } from "../kernels/guards.js";
import { createKernelTable } from "../kernels/index.js";
import { referenceOps } from "../kernels/oracle.js";

const table = createKernelTable(nodeDataSource);
const QUOTA = 64 * 1024 * 1024;
const SECRET = 31337.25;

beforeAll(() => initNodeBackend("wasm"), 60_000);

/** Baseline arguments where the generic ones (below) would be refused before the hostile one is reached. */
function baseline(op: string, t: Fixtures): KernelArg[] | undefined {
  const x4 = t.make([1, 2, 4, 4]);
  const w = t.make([3, 2, 2, 2]);
  const samples: Record<string, KernelArg[]> = {
    tensor: [new Float32Array(4), [2, 2], "float32"],
    fill: [[2, 2], 1, "float32"],
    arange: [0, 4, 1],
    oneHot: [t.make([3], [0, 1, 2]), 3],
    slice: [t.make([5, 2]), [1, 0], [2, 2]],
    pad: [t.make([2, 2]), [1, 1, 0, 2], 0],
    split: [t.make([4, 2]), [1, 3], 0],
    gather: [t.make([4, 2]), t.make([2], [0, 3]), 0],
    gatherBackward: [t.make([2, 2]), t.make([2], [0, 3]), [4, 2], 0],
    broadcastTo: [t.make([1, 2]), [3, 2]],
    tile: [t.make([2, 2]), [2, 1]],
    reshape: [t.make([2, 3]), [3, 2]],
    transpose: [t.make([2, 3]), [1, 0]],
    sumTo: [t.make([3, 2]), [1, 2]],
    conv2d: [x4, w, [1, 1], [0, 0]],
    conv2dBackwardInput: [t.make([1, 3, 3, 3]), w, [1, 2, 4, 4], [1, 1], [0, 0]],
    conv2dBackwardFilter: [x4, t.make([1, 3, 3, 3]), [3, 2, 2, 2], [1, 1], [0, 0]],
    maxPool2d: [x4, [2, 2], [2, 2], 0],
    avgPool2d: [x4, [2, 2], [2, 2], 0],
    maxPool2dBackward: [t.make([1, 2, 2, 2]), x4, [2, 2], [2, 2], 0],
    avgPool2dBackward: [t.make([1, 2, 2, 2]), x4, [2, 2], [2, 2], 0],
    adamStep: [t.make([2]), t.make([2]), t.make([2]), t.make([2]), 0.1, 0.9, 0.999, 1e-8, 1, 0],
    dataMnist: [2, 0],
    dataTable: ["iris"],
    dataText: ["femaleNames"],
    oracleForward: ["slice", [t.make([5, 2])], JSON.stringify({ begin: [1, 0], size: [2, 2] })],
    oracleGrads: ["slice", [t.make([5, 2])], t.make([2, 2]), JSON.stringify({ begin: [1, 0], size: [2, 2] })],
  };
  return samples[op];
}

/** Tensors made for one kernel's walk, disposed after it. */
class Fixtures {
  readonly made: tf.Tensor[] = [];
  make(shape: number[], values?: number[]): tf.Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(values ?? Array.from({ length: n }, (_, i) => (i % 3) / 2), shape, "float32");
    this.made.push(t);
    return t;
  }
  dispose(): void {
    for (const t of this.made) t.dispose();
  }
}

function generic(kind: ArgKind, t: Fixtures): KernelArg {
  switch (kind) {
    case "tensor":
      return t.make([2, 2]);
    case "tensors":
      return [t.make([2, 2]), t.make([2, 2])];
    case "number":
    case "int":
      return 0;
    case "int?":
    case "ints?":
      return undefined;
    case "ints":
      return [2, 2];
    case "data":
      return new Float32Array(4);
    case "bool":
      return false;
    case "string":
      return "float32";
  }
}

const BIG = 2 ** 31;
/** Out-of-range values of each argument kind. */
function hostile(kind: ArgKind, t: Fixtures): KernelArg[] {
  const tall = () => t.make([100_000, 1], new Array<number>(100_000).fill(1));
  const wide = () => t.make([1, 100_000], new Array<number>(100_000).fill(1));
  const tensors = () => [
    t.make([2], [0, 1e6]),
    t.make([2], [-1, 0]),
    t.make([2], [Number.NaN, 0]),
    t.make([2], [BIG, 1]),
    t.make([0]),
    t.make([], [5]),
    t.make([1, 1, 1, 1, 2]),
    t.make([3, 1, 2, 1]),
    tall(),
    wide(),
  ];
  const ints = [
    [],
    [BIG],
    [BIG - 1, BIG - 1],
    [-5],
    [-1, -1],
    [100_000, 100_000],
    [0],
    [0, 0],
    [7, 7],
    [2, 2, 2, 2, 2, 2, 2, 2, 2],
    [1, 0, 0],
    [3, -2],
    [1, 1, 1, 2 ** 20],
  ];
  const numbers = [-1, -(BIG + 5), BIG, 1e9, 7, -7, 0.5];
  switch (kind) {
    case "tensor":
      return tensors();
    case "tensors":
      return [
        [],
        [tall(), wide()],
        [t.make([2, 2]), t.make([1, 1, 1, 1, 2])],
        [t.make([0])],
        [t.make([2, 3]), t.make([3, 2])],
      ];
    case "number":
    case "int":
    case "int?":
      return numbers;
    case "ints":
    case "ints?":
      return ints;
    case "data":
      return [new Float32Array(3), new Float32Array(0)];
    case "bool":
      return [true, false];
    case "string":
      return [
        "float64",
        "",
        "int32",
        "{}",
        JSON.stringify({ begin: [3, 0], size: [4, 2] }),
        JSON.stringify({ axis: 9 }),
        JSON.stringify({ perm: [0, 0] }),
        JSON.stringify({ shape: [BIG, 2] }),
        JSON.stringify({ stride: [0, 0] }),
        JSON.stringify({ kernelSize: [99, 99] }),
        JSON.stringify({ padding: [-3, -3] }),
        ...Object.keys(referenceOps),
      ];
  }
}

function tensorsOf(result: KernelResult): tf.Tensor[] {
  if (result instanceof tf.Tensor) return [result];
  if (Array.isArray(result))
    return (result as unknown[]).filter((r): r is tf.Tensor => r instanceof tf.Tensor);
  return [];
}

function describeArgs(args: readonly KernelArg[]): string {
  return args
    .map((a) =>
      a instanceof tf.Tensor
        ? `tensor${JSON.stringify(a.shape)}`
        : Array.isArray(a)
          ? JSON.stringify(a.map((v) => (v instanceof tf.Tensor ? `tensor${JSON.stringify(v.shape)}` : v)))
          : a instanceof Float32Array
            ? `data(${a.length})`
            : JSON.stringify(a),
    )
    .join(", ");
}

interface Outcome {
  refused: number;
  overQuota: number;
  ran: number;
}

/** One call as the bridge makes it: guard, quota, run; returns how it ended or fails the test. */
function call(op: string, kernel: Kernel, args: KernelArg[], canary: tf.Tensor, outcome: Outcome): void {
  const what = `${op}(${describeArgs(args)})`;
  // Leave a secret in freed memory, as another session's run would.
  tf.tidy(() => tf.fill([1 << 16], SECRET)).dispose();
  let bytes: number;
  try {
    bytes = kernel.guard ? kernel.guard(...args) : Number.NaN;
  } catch (err) {
    expect(err, what).toBeInstanceOf(KernelArgumentError);
    const message = (err as Error).message;
    expect(message.startsWith(`${op}: `), `${what}: ${message}`).toBe(true);
    expect(message, what).not.toMatch(/Error in|tfjs|wasm/i);
    outcome.refused++;
    return;
  }
  expect(Number.isFinite(bytes) && bytes >= 0, `${what}: guard returned ${bytes}`).toBe(true);
  if (bytes > QUOTA) {
    outcome.overQuota++;
    return;
  }
  let result: KernelResult;
  try {
    result = kernel.run(...args);
  } catch (err) {
    // Refusals from the kernel's own checks are allowed when they are argument errors.
    expect(err, `${what} threw ${String(err)}`).toBeInstanceOf(KernelArgumentError);
    outcome.refused++;
    return;
  }
  outcome.ran++;
  const out = tensorsOf(result);
  try {
    const resultBytes = out.reduce((n, t) => n + t.size * 4, 0);
    expect(resultBytes, `${what}: result bytes vs guard`).toBeLessThanOrEqual(bytes);
    for (const t of out) {
      if (t.size <= 1 << 20)
        expect(Array.from(t.dataSync()), `${what} reads freed memory`).not.toContain(SECRET);
    }
    expect(Array.from(canary.dataSync()), `${what} changed a live tensor`).toEqual([9, 8, 7, 6, 5, 4, 3, 2]);
  } finally {
    for (const t of out) if (!args.includes(t)) t.dispose();
  }
}

describe("kernel guards", () => {
  it("every kernel in the table has a guard, and every guard a kernel", () => {
    const missing = Object.keys(table).filter((op) => !Object.hasOwn(guards, op));
    expect(missing, `kernels without a guard in sandbox/scratch/kernels/guards.ts`).toEqual([]);
    const stale = Object.keys(guards).filter((op) => !Object.hasOwn(table, op));
    expect(stale, "guards without a kernel").toEqual([]);
  });

  for (const [op, kernel] of Object.entries(table)) {
    it(`${op}: hostile values of each argument are refused or stay in bounds`, () => {
      const t = new Fixtures();
      const canary = tf.tensor([9, 8, 7, 6, 5, 4, 3, 2]);
      const outcome: Outcome = { refused: 0, overQuota: 0, ran: 0 };
      try {
        const base = baseline(op, t) ?? kernel.args.map((kind) => generic(kind, t));
        call(op, kernel, base, canary, outcome);
        kernel.args.forEach((kind, i) => {
          for (const value of hostile(kind, t)) {
            const args = [...base];
            args[i] = value;
            call(op, kernel, args, canary, outcome);
          }
        });
        // Every tensor argument at once as the operands of a 1e5 × 1e5 broadcast.
        const tensorPositions = kernel.args.flatMap((k, i) => (k === "tensor" ? [i] : []));
        if (tensorPositions.length >= 2) {
          const args = [...base];
          tensorPositions.forEach((p, j) => {
            args[p] = j % 2 === 0 ? t.make([100_000, 1]) : t.make([1, 100_000]);
          });
          call(op, kernel, args, canary, outcome);
        }
      } finally {
        canary.dispose();
        t.dispose();
      }
      expect(outcome.refused + outcome.overQuota + outcome.ran).toBeGreaterThan(kernel.args.length);
    });
  }
});

describe("guard messages", () => {
  it("name the operation and the shapes", () => {
    const x = tf.zeros([5, 2]);
    const idx = tf.tensor([0, 7]);
    try {
      expect(() => table.slice?.guard?.(x, [3, 0], [4, 2])).toThrow(
        "slice: begin 3 + size 4 exceeds axis 0 of length 5 (shape [5,2])",
      );
      expect(() => table.gather?.guard?.(x, idx, 0)).toThrow(
        "gather: index 7 is out of range for axis 0 of length 5 (shape [5,2])",
      );
      expect(() => table.fill?.guard?.([100_000, 100_000], 1, "float32")).toThrow(
        "fill: shape [100000,100000] has 10000000000 elements, more than 2147483647",
      );
      expect(table.fill?.guard?.([1000, 1000], 1, "float32")).toBe(4_000_000);
    } finally {
      x.dispose();
      idx.dispose();
    }
  });
});
