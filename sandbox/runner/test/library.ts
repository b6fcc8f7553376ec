/**
 * A small test-only HostLibrary on tfjs-core's CPU backend, standing in for `scratch` in the runner
 * tests: a few kernels covering every ArgKind and result kind, and guest modules that wrap them.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { KernelArgumentError } from "../../kernel/argument-error.js";
import type { HostLibrary, KernelTable } from "../../kernel/types.js";

/** A guard refusing operands tfjs would reject, as the scratch guards do (a refusal is catchable). */
const sameInner =
  (op: string, inner: (a: tf.Tensor, b: tf.Tensor) => boolean) => (a: unknown, b: unknown) => {
    const [x, y] = [a as tf.Tensor, b as tf.Tensor];
    if (!inner(x, y)) throw new KernelArgumentError(`${op}: shapes [${x.shape}] and [${y.shape}] do not fit`);
    return 0;
  };

const kernels: KernelTable = {
  tensor: {
    args: ["data", "ints"],
    run: (data, shape) => tf.tensor(data as Float32Array, shape as number[]),
  },
  add: {
    args: ["tensor", "tensor"],
    run: (a, b) => tf.add(a as tf.Tensor, b as tf.Tensor),
    guard: sameInner("add", (x, y) => x.size === y.size || x.size === 1 || y.size === 1),
  },
  scale: { args: ["tensor", "number"], run: (a, s) => tf.mul(a as tf.Tensor, s as number) },
  matmul: {
    args: ["tensor", "tensor"],
    run: (a, b) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    guard: sameInner("matmul", (x, y) => x.rank === 2 && y.rank === 2 && x.shape[1] === y.shape[0]),
  },
  sum: { args: ["tensor", "int?"], run: (a, axis) => tf.sum(a as tf.Tensor, axis as number | undefined) },
  concat: { args: ["tensors", "int"], run: (ts, axis) => tf.concat(ts as tf.Tensor[], axis as number) },
  split: { args: ["tensor", "int"], run: (a, n) => tf.split(a as tf.Tensor, n as number) },
  data: { args: ["tensor"], run: (a) => (a as tf.Tensor).dataSync() as Float32Array },
  size: { args: ["tensor"], run: (a) => (a as tf.Tensor).size },
  identity: { args: ["tensor"], run: (a) => a as tf.Tensor },
  /** Live tfjs tensors in this worker, to prove runs leave none behind. */
  liveTensors: { args: [], run: () => tf.memory().numTensors },
  describe: { args: ["string", "bool"], run: (s, b) => `${s as string}:${String(b)}` },
  zeros: { args: ["ints"], run: (shape) => tf.zeros(shape as number[]) },
  /** A host kernel that does not return for `ms` milliseconds (the interrupt handler cannot stop it). */
  spin: {
    args: ["int"],
    run: (ms) => {
      const end = Date.now() + (ms as number);
      while (Date.now() < end) {
        /* busy */
      }
      return null;
    },
  },
  /** A kernel failing inside its backend (not a refused argument): the run must end, naming it. */
  fails: {
    args: [],
    run: () => {
      throw new Error("kernel failed on purpose");
    },
  },
};

const core = `
const h = globalThis.__host;
export const k = (op, ...args) => h.k(op, ...args);
export class Tensor {
  constructor(handle) { this.handle = handle; }
  get shape() { return h.shape(this.handle); }
  add(o) { return new Tensor(h.k("add", this.handle, o.handle)); }
  matmul(o) { return new Tensor(h.k("matmul", this.handle, o.handle)); }
  sum(axis) { return new Tensor(h.k("sum", this.handle, axis)); }
  toArray() { return Array.from(new Float32Array(h.k("data", this.handle))); }
  free() { h.free(this.handle); }
}
export function tensor(values, shape) { return new Tensor(h.k("tensor", values, shape ?? [values.length])); }
`;

const modules: Record<string, string> = {
  "scratch/_core": core,
  "scratch/tensor": `export { tensor, Tensor } from "scratch/_core";`,
  "scratch/plot": `
const h = globalThis.__host;
export const line = (y, opts = {}) => h.emit("plot", { kind: "line", title: opts.title, series: [{ y }] });
export const metric = (name, step, value) => h.emit("metric", { name, step, value });`,
  "scratch/checks": `
import { token } from "scratch/_check-token";
const h = globalThis.__host;
export const report = (name, passed, message) => h.checkEnd(token, h.checkBegin(token, name), passed, message);`,
  "scratch/autograd": `import { Tensor } from "scratch/_core"; export const grad = () => "autograd";`,
  "scratch/nn": `import { grad } from "scratch/autograd"; export const usesGrad = () => grad();`,
};

export const library: HostLibrary = {
  modules,
  publicModules: ["scratch/tensor", "scratch/plot", "scratch/checks", "scratch/autograd", "scratch/nn"],
  checkModule: "scratch/checks",
  umbrella: (allowed) => allowed.map((s) => `export * from ${JSON.stringify(s)};`).join("\n") || "export {};",
  kernels,
  async init() {
    await tf.setBackend("cpu");
    await tf.ready();
  },
};
