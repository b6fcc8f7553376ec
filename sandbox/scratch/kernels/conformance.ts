/**
 * The conformance self-test a GPU backend must pass on a device before any run may compute on it:
 * a dozen ops with known results, NaN and ±Infinity propagation, one gradient, and the readback of
 * a tensor larger than 1 MB. Every value is read back with dataSync, the path the `scratch` kernels
 * use, so a backend that silently reads back zeros (WebGPU on some adapters) or loses NaN (WebGL)
 * fails here. Runs on whichever tfjs backend is current.
 */
import * as tf from "@tensorflow/tfjs-core";

export interface SelfTestResult {
  backend: string;
  passed: boolean;
  /** One line per failed case, e.g. "div by zero: element 0 expected NaN, got 1". */
  failures: string[];
}

/** Relative tolerance of a finite value (float32 arithmetic, GPU transcendental functions). */
export const SELF_TEST_TOLERANCE = 1e-4;

/** More than 1 MB of float32 values (1.2 MB). */
export const READBACK_ELEMENTS = 300_000;

interface Case {
  name: string;
  compute(): tf.Tensor;
  expected: number[] | ((i: number) => number);
  size?: number;
}

const E = Math.E;
const softmax3 = [1, 2, 3].map((v) => Math.exp(v) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));

const CASES: Case[] = [
  { name: "add", compute: () => tf.add([1, 2, 3], [4, 5, 6]), expected: [5, 7, 9] },
  {
    name: "sub (broadcast)",
    compute: () =>
      tf.sub(
        tf.tensor2d([
          [1, 2],
          [3, 4],
        ]),
        tf.tensor1d([1, 1]),
      ),
    expected: [0, 1, 2, 3],
  },
  { name: "mul", compute: () => tf.mul([1, -2, 3], [2, 3, -4]), expected: [2, -6, -12] },
  { name: "div", compute: () => tf.div([1, 3, -8], [2, 4, 2]), expected: [0.5, 0.75, -4] },
  { name: "exp", compute: () => tf.exp([0, 1, -1]), expected: [1, E, 1 / E] },
  { name: "log", compute: () => tf.log([1, E, E * E]), expected: [0, 1, 2] },
  { name: "relu", compute: () => tf.relu([-1, 0, 2]), expected: [0, 0, 2] },
  { name: "sigmoid", compute: () => tf.sigmoid([0, 2]), expected: [0.5, 1 / (1 + Math.exp(-2))] },
  {
    name: "matmul",
    compute: () =>
      tf.matMul(
        tf.tensor2d([
          [1, 2],
          [3, 4],
        ]),
        tf.tensor2d([
          [5, 6],
          [7, 8],
        ]),
      ),
    expected: [19, 22, 43, 50],
  },
  {
    name: "sum(axis 1)",
    compute: () =>
      tf.sum(
        tf.tensor2d([
          [1, 2],
          [3, 4],
        ]),
        1,
      ),
    expected: [3, 7],
  },
  {
    name: "max(axis 0)",
    compute: () =>
      tf.max(
        tf.tensor2d([
          [1, 5],
          [3, 4],
        ]),
        0,
      ),
    expected: [3, 5],
  },
  { name: "softmax", compute: () => tf.softmax(tf.tensor1d([1, 2, 3])), expected: softmax3 },
  {
    name: "conv2d",
    compute: () =>
      tf.conv2d(tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]), tf.ones([2, 2, 1, 1]), 1, "valid"),
    expected: [12, 16, 24, 28],
  },
  {
    name: "gradient of sum(x*x)",
    compute: () => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(x, x)))(tf.tensor1d([1, 2, 3])),
    expected: [2, 4, 6],
  },
  // Non-finite values must propagate exactly as in IEEE 754 (and as on wasm in Node).
  {
    name: "division by zero",
    compute: () => tf.div([0, 1, -1], [0, 0, 0]),
    expected: [NaN, Infinity, -Infinity],
  },
  { name: "exp overflow", compute: () => tf.div(tf.exp([1000]), tf.exp([1000])), expected: [NaN] },
  { name: "log(0)", compute: () => tf.log([0]), expected: [-Infinity] },
  { name: "NaN + 1", compute: () => tf.add([NaN, 1], [1, Infinity]), expected: [NaN, Infinity] },
  { name: "sum with Infinity", compute: () => tf.sum([1, Infinity, 2]), expected: [Infinity] },
  {
    name: "readback of 1.2 MB",
    compute: () => tf.add(tf.range(0, READBACK_ELEMENTS, 1, "float32"), 1),
    expected: (i) => i + 1,
    size: READBACK_ELEMENTS,
  },
];

/** Whether `actual` matches `expected`: same non-finite value, or within the relative tolerance. */
export function agrees(expected: number, actual: number, tolerance = SELF_TEST_TOLERANCE): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  if (!Number.isFinite(actual)) return false;
  return Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));
}

function check(c: Case): string | null {
  const values = tf.tidy(() => c.compute().dataSync());
  const size = typeof c.expected === "function" ? (c.size ?? 0) : c.expected.length;
  if (values.length !== size) return `${c.name}: ${values.length} values read back, expected ${size}`;
  for (let i = 0; i < size; i++) {
    const expected = typeof c.expected === "function" ? c.expected(i) : c.expected[i]!;
    if (!agrees(expected, values[i]!))
      return `${c.name}: element ${i} expected ${expected}, got ${values[i]}`;
  }
  return null;
}

/** The cases re-checked before every run on a GPU backend (a few milliseconds). */
const CANARY = new Set(["add", "division by zero", "sum with Infinity"]);

/**
 * Runs every case (or, with `canary`, the few re-checked before each GPU run) on the current
 * backend; a case that throws fails with its message.
 */
export function selfTest(backend = tf.getBackend(), canary = false): SelfTestResult {
  const failures: string[] = [];
  for (const c of CASES) {
    if (canary && !CANARY.has(c.name)) continue;
    try {
      const failure = check(c);
      if (failure) failures.push(failure);
    } catch (err) {
      failures.push(`${c.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return { backend, passed: failures.length === 0, failures };
}
