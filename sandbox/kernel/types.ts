/**
 * The contract between the sandbox bridge and the tensor kernels.
 *
 * The guest (attendee code and the `scratch` library running inside QuickJS) never touches a tfjs
 * tensor: it holds integer handles. It calls `__host.k(opName, ...args)`; the bridge looks the op
 * up in a {@link KernelTable}, converts every argument according to the op's declared
 * {@link ArgKind}s (handles are resolved to live tensors of this run, numbers checked, arrays
 * copied), calls `run`, registers returned tensors in the run's handle table (enforcing the tensor
 * quota) and hands handles back. A kernel therefore only ever sees validated host values.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { DeviceInfo, RunRequest } from "../events.js";

/** How one argument crosses from guest to host. */
export type ArgKind =
  /** A handle of a live tensor of this run. */
  | "tensor"
  /** A list of tensor handles (an array, or its JSON text: see "ints"). */
  | "tensors"
  /** A finite number. */
  | "number"
  /** An integer (safe integer range). */
  | "int"
  /**
   * A list of integers, e.g. a shape or axes (at most 8 entries... or a bounded index list): an
   * array, or its JSON text as a string, which the host reads without calling back into the guest
   * (the `scratch` library sends its lists so; either is checked the same way).
   */
  | "ints"
  /** Flat numeric data: a guest ArrayBuffer (Float32) or array of numbers. */
  | "data"
  | "bool"
  | "string"
  /** An optional integer: null/undefined passes through as undefined. */
  | "int?"
  /** An optional list of integers. */
  | "ints?";

/** A value produced by converting a guest argument of the matching {@link ArgKind}. */
export type KernelArg =
  tf.Tensor | tf.Tensor[] | number | number[] | Float32Array | boolean | string | undefined;

/** What a kernel may return; tensors become handles, Float32Array becomes a guest ArrayBuffer. */
export type KernelResult =
  tf.Tensor | tf.Tensor[] | number | number[] | Float32Array | boolean | string | null;

export interface Kernel {
  /** Declared argument kinds, in order. Extra or missing arguments are an error. */
  args: readonly ArgKind[];
  run(...args: KernelArg[]): KernelResult;
  /**
   * Validates the converted arguments before `run` (indices, ranges, axes, sizes), throwing a
   * KernelArgumentError (sandbox/kernel/argument-error.ts) for bad ones, and returns the bytes the
   * call will allocate on the host at most (result, temporaries, readback copies). The bridge
   * checks that against the run's tensor quota before `run` allocates anything.
   */
  guard?(...args: KernelArg[]): number;
}

/** Every op the guest may call, by name. */
export type KernelTable = Readonly<Record<string, Kernel>>;

/**
 * How the host walks back through a call of one (fused) forward kernel it recorded on its tape
 * (sandbox/kernel/tape.ts): the guest's backward() hands the whole walk to the host in one call
 * when every node on the path is such a call.
 */
export interface TapeRule {
  /** The forward call's arguments (by position) that are the node's inputs, as autograd sees them. */
  readonly inputs: readonly number[];
  /**
   * The backward kernel call that gives the inputs' gradients, from the forward call's arguments,
   * its tensor results, the output's gradient dy and which inputs need one: what the guest's
   * jointGrad calls. `grads[i]` is the position, in the backward kernel's result list (a single
   * tensor counts as a list of one), of input i's gradient, or null (any result not named is freed).
   */
  backward(
    forward: readonly KernelArg[],
    results: readonly tf.Tensor[],
    dy: tf.Tensor,
    needs: readonly boolean[],
  ): { op: string; args: KernelArg[]; grads: readonly (number | null)[] };
}

/**
 * What a library (here: `scratch`) gives the runner: guest module sources, the kernels behind
 * them, and set-up work done once per worker.
 *
 * Import rule: attendee and check modules may import only the specifiers a run allows; library
 * modules may import each other freely (so `scratch/nn` can use `scratch/autograd` even when a task
 * withholds autograd from the attendee).
 */
/** The module a library's check module imports its check token from (`export const token`). */
export const CHECK_TOKEN_MODULE = "scratch/_check-token";

export interface HostLibrary {
  /** ES module sources by specifier: "scratch/tensor", "scratch/nn", …, plus internal ones. */
  modules: Readonly<Record<string, string>>;
  /** Specifiers attendee code may import when a run does not restrict them. */
  publicModules: readonly string[];
  /** Source of the umbrella module "scratch", re-exporting only the allowed sub-modules. */
  umbrella(allowed: readonly string[]): string;
  kernels: KernelTable;
  /**
   * Forward kernels whose calls the host records, by name, and how to walk back through them (see
   * {@link GuestHost.backward}). The walk seeds the root's gradient with `fill(shape, 1, "float32")`
   * and sums two gradients reaching one tensor with `add`, as the guest's autograd does.
   */
  tape?: Readonly<Record<string, TapeRule>>;
  /**
   * The library module that reports check results (its `check(name, fn)`), if any. Check modules
   * get a private instance of it that holds the run's check token (imported from
   * {@link CHECK_TOKEN_MODULE}); every other importer gets the public one, whose token is null, so
   * attendee code cannot report a check result.
   */
  checkModule?: string;
  /** Runs once per worker before its first run (e.g. choosing and initialising a tfjs backend). */
  init?(): Promise<void>;
  /**
   * Discards the native state the kernels keep (the tfjs wasm instance and its heap) and starts a
   * fresh one. The worker calls it after every run that created tensors, so no run can read
   * memory another run left.
   */
  reset?(): Promise<void>;
  /** Bytes of native heap the kernels hold now (the tfjs wasm memory); the worker recycles itself past a bound. */
  heapBytes?(): number;
  /**
   * Runs before each run (e.g. making the tfjs backend the run asks for current); resolves to what
   * the run computes with. A rejection ends the run with an internal error.
   */
  prepare?(request: RunRequest): Promise<DeviceInfo>;
}

/**
 * The object the runner installs as `globalThis.__host` inside the guest. Only the `scratch`
 * library's internal module should use it; attendee code reaching it directly gets nothing more
 * than the library could do, because every call is validated here.
 *
 * Handles are positive integers, valid only during the run that created them.
 */
/** Most handles one {@link GuestHost.freeMany} call accepts. */
export const MAX_FREE_MANY = 4096;

export interface GuestHost {
  /** Calls kernel `op` with guest arguments converted per its {@link ArgKind}s. */
  k(op: string, ...args: unknown[]): unknown;
  /** Frees one tensor handle (idempotent for a handle of this run). */
  free(handle: number): void;
  /**
   * Frees many tensor handles in one call (each as {@link free}); at most {@link MAX_FREE_MANY}.
   * The library batches the frees at the end of a `tidy()` with it: one bridge crossing instead of
   * one per tensor.
   */
  freeMany(...handles: number[]): void;
  /** Shape of a live tensor. */
  shape(handle: number): number[];
  /** Dtype of a live tensor. */
  dtype(handle: number): "float32" | "int32" | "bool";
  /** Emits a structured output event; the payload is validated against sandbox/events.ts. */
  emit(type: "plot" | "metric", payload: unknown): void;
  /**
   * Starts a check of the check module being evaluated and returns its id. `token` is the run's
   * check token (only the check modules' private instance of the library's check module has it);
   * `name` must be a string. A check started and never ended fails when its module ends.
   */
  checkBegin(token: string, name: string): number;
  /**
   * Calls a check-only kernel (the tfjs oracle, which would otherwise hand an attempt the answer
   * to a gradient task) with the run's check token; `k` refuses these kernels.
   */
  checkKernel(token: string, op: string, ...args: unknown[]): unknown;
  /** Ends check `id` once: primitives only (no object crosses), message and hint optional strings. */
  checkEnd(token: string, id: number, passed: boolean, message?: string, hint?: string): void;
  /** The run's seed, or undefined when the run is unseeded. */
  readonly seed: number | undefined;
  /** Whether this run allows attendee code to use a sub-module (e.g. "scratch/autograd"). */
  allows(specifier: string): boolean;
  /**
   * Runs a whole backward walk on the host, from the one-element tensor `root` (its gradient
   * seeded with ones), through forward kernel calls the host recorded (HostLibrary.tape): `nodes`
   * lists the walk's nodes in the order the guest would process them, each as its handle, its
   * input count and its input handles (the first is `root`); `leaves` the handles of the tensors
   * that take a gradient without passing it on. Returns the handles of the leaves' gradients
   * (0 where none reached a leaf), or null when the host did not record a node as given (the guest
   * then walks itself). Absent when the host keeps no tape.
   */
  backward?(root: number, nodes: number[] | string, leaves: number[] | string): number[] | null;
}
