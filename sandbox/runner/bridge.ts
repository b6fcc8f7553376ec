/**
 * The guest's `globalThis.__host` (the GuestHost contract of sandbox/kernel/types.ts).
 *
 * Discipline for every function here: accept only handles and primitives; read guest arrays and
 * payloads through the guest's own JSON.stringify (captured at set-up, size-capped; the intrinsics
 * are frozen by lockdown.ts before attendee code runs) so the host only parses plain data and
 * never merges a guest object into a host one; check results cross as primitives only, with the
 * run's check token (see checks.ts), so no guest code runs while one is read; refuse re-entrant
 * calls (a getter or toJSON calling back into the host half-way through a call); re-check the
 * deadline after anything that may have run guest code or a long kernel; report generic errors
 * to the guest, never a host stack.
 */
import type { QuickJSContext, QuickJSHandle, VmCallResult } from "quickjs-emscripten-core";
import type * as tf from "@tensorflow/tfjs-core";
import type { RunEvent } from "../events.js";
import { KernelArgumentError } from "../kernel/argument-error.js";
import { withShapes } from "../kernel/shape-context.js";
import { Tape, type RecordedArg, type TapeHost } from "../kernel/tape.js";
import {
  MAX_FREE_MANY,
  type ArgKind,
  type HostLibrary,
  type KernelArg,
  type KernelResult,
} from "../kernel/types.js";
import { CHECK_ONLY_KERNELS, CheckLedger } from "./checks.js";
import { newGuestError } from "./lockdown.js";
import { EmitError, EMIT_CAPS, validateMetric, validatePlot } from "./emitted.js";
import { GuestError, RunLimitError } from "./errors.js";
import type { ModuleGraph } from "./modules.js";
import type { TensorTable } from "./tensors.js";

/** What the bridge needs from the run it serves. */
export interface BridgeRun {
  readonly ctx: QuickJSContext;
  readonly library: HostLibrary;
  readonly tensors: TensorTable;
  readonly graph: ModuleGraph;
  readonly seed: number | undefined;
  readonly maxDataBytes: number;
  /** Throws RunLimitError("time") once the deadline has passed. */
  checkDeadline(): void;
  /** Records a limit that ends the run even if the guest catches the error thrown for it. */
  fail(error: RunLimitError): void;
  /** Records that QuickJS itself may be damaged (a host stack overflow inside wasm). */
  poison(): void;
  /**
   * Records that kernel `op` failed inside the tensor backend (a wasm abort or trap, any exception
   * that is not a refused argument): the run ends with an error naming `op`, whatever the guest
   * does, and the worker's backend is discarded.
   */
  kernelFailed(op: string): void;
  /** Charges the output budget and delivers one event (t is set by the run). */
  deliver(event: DistributiveOmit<RunEvent, "t">, bytes: number): void;
  /** The check module being evaluated, when the run is in its check phase. */
  readonly currentCheck: { id: string; hidden: boolean } | undefined;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const MAX_LIST = 1 << 20;
const MAX_TENSOR_LIST = 4096;
const MAX_STRING = 1000;
/** Most characters of JSON the host will parse from one guest value. */
const MAX_JSON = 16 * 1024 * 1024;

const HELPERS_SOURCE = `(() => {
  const stringify = JSON.stringify, isArray = Array.isArray, apply = Reflect.apply;
  const byteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get;
  return {
    json: (v) => stringify(v),
    list: (v) => (isArray(v) ? stringify(v) : null),
    kind: (v) => {
      if (v !== null && typeof v === "object") {
        try { apply(byteLength, v, []); return "arraybuffer"; } catch {}
        return isArray(v) ? "array" : "object";
      }
      return v === null ? "null" : typeof v;
    },
  };
})()`;

/**
 * JSON text copied out of the guest, parsed (null when it is not JSON). Its length is checked once
 * copied: quickjs-emscripten's getLength reads objects only, and the guest's memory limit bounds
 * the copy.
 */
function parseJsonText(text: string, what: string): unknown {
  if (text.length > MAX_JSON) throw new GuestError(`${what}: too large`, "RangeError");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export class GuestBridge {
  private busy = false;
  private plots = 0;
  private metrics = 0;
  private readonly checks: CheckLedger;
  private readonly json: QuickJSHandle;
  private readonly kind: QuickJSHandle;
  private readonly list: QuickJSHandle;
  /** The calls of the library's tape kernels, for backward walks on the host (absent without rules). */
  private readonly tape: Tape | undefined;

  constructor(private readonly run: BridgeRun) {
    const { ctx } = run;
    const helpers = ctx.unwrapResult(ctx.evalCode(HELPERS_SOURCE, "<host>"));
    this.json = ctx.getProp(helpers, "json");
    this.kind = ctx.getProp(helpers, "kind");
    this.list = ctx.getProp(helpers, "list");
    helpers.dispose();
    this.tape = run.library.tape ? new Tape(run.library.tape) : undefined;
    this.checks = new CheckLedger(run.graph.checkToken, (check) => run.deliver({ type: "check", check }, 0));
  }

  /** Fails every check module `id` started and never ended (see CheckLedger.failOpen). */
  failOpenChecks(id: string): void {
    this.checks.failOpen(id);
  }

  dispose(): void {
    if (this.json.alive) this.json.dispose();
    if (this.kind.alive) this.kind.dispose();
    if (this.list.alive) this.list.dispose();
  }

  /** Installs `globalThis.__host`, frozen, with the GuestHost functions and the run's seed. */
  install(): void {
    const { ctx } = this.run;
    const host = ctx.newObject();
    const fn = (name: string, impl: (args: QuickJSHandle[]) => QuickJSHandle | undefined) => {
      const f = ctx.newFunction(name, (...args) => this.guard(() => impl(args)));
      ctx.setProp(host, name, f);
      f.dispose();
    };
    fn("k", (args) => this.callKernel(args, false));
    fn("checkKernel", (args) => {
      this.checks.authorise(this.primitive(args[0]));
      return this.callKernel(args.slice(1), true);
    });
    fn("free", (args) => {
      this.free(this.handleArg(args[0], "free"));
      return undefined;
    });
    fn("freeMany", (args) => {
      if (args.length > MAX_FREE_MANY)
        throw new GuestError(`freeMany: at most ${MAX_FREE_MANY} handles per call`, "RangeError");
      const handles = args.map((a) => this.handleArg(a, "freeMany"));
      for (const h of handles) this.free(h);
      return undefined;
    });
    if (this.tape) fn("backward", (args) => this.backward(args));
    fn("shape", (args) => this.toGuest(this.tensorArg(args[0], "shape").shape));
    fn("dtype", (args) => ctx.newString(this.tensorArg(args[0], "dtype").dtype));
    fn("emit", (args) => {
      this.emit(args[0], args[1]);
      return undefined;
    });
    fn("checkBegin", (args) => {
      const [token, name] = args.map((a) => this.primitive(a));
      return ctx.newNumber(this.checks.begin(token, name, this.run.currentCheck));
    });
    fn("checkEnd", (args) => {
      const [token, id, passed, message, hint] = args.map((a) => this.primitive(a));
      this.checks.end(token, id, passed, message, hint);
      return undefined;
    });
    fn("allows", (args) => {
      const spec = args[0];
      return spec && ctx.typeof(spec) === "string" && this.run.graph.allowed.has(ctx.getString(spec))
        ? ctx.true
        : ctx.false;
    });
    const seed = this.run.seed === undefined ? ctx.undefined : ctx.newNumber(this.run.seed);
    ctx.setProp(host, "seed", seed);
    seed.dispose();
    const freeze = ctx.unwrapResult(ctx.evalCode("Object.freeze", "<host>"));
    ctx.unwrapResult(ctx.callFunction(freeze, ctx.undefined, host)).dispose();
    freeze.dispose();
    ctx.defineProp(ctx.global, "__host", { value: host, configurable: false, enumerable: false });
    host.dispose();
  }

  /** Runs one host function: refuses re-entry, turns every failure into a generic guest error. */
  private guard(body: () => QuickJSHandle | undefined): QuickJSHandle | VmCallResult<QuickJSHandle> | void {
    const { ctx } = this.run;
    if (this.busy) {
      return {
        error: newGuestError(ctx, "Error", "__host functions cannot be called re-entrantly"),
      };
    }
    this.busy = true;
    try {
      this.run.checkDeadline();
      return body();
    } catch (err) {
      if (err instanceof RunLimitError) {
        this.run.fail(err);
        return { error: newGuestError(ctx, "InternalError", err.message) };
      }
      if (err instanceof GuestError) {
        return { error: newGuestError(ctx, err.errorName, err.message) };
      }
      if (err instanceof RangeError && /call stack/i.test(err.message)) {
        this.run.poison();
        this.run.fail(new RunLimitError("stack", "Stack limit exceeded: too much recursion."));
        return { error: newGuestError(ctx, "InternalError", "stack overflow") };
      }
      return { error: newGuestError(ctx, "Error", "host call failed") };
    } finally {
      this.busy = false;
    }
  }

  /** A primitive guest argument as a host value; any object reads as undefined (no guest code runs). */
  private primitive(arg: QuickJSHandle | undefined): string | number | boolean | undefined {
    const { ctx } = this.run;
    if (!arg) return undefined;
    switch (ctx.typeof(arg)) {
      case "string":
        return ctx.getString(arg);
      case "number":
        return ctx.getNumber(arg);
      case "boolean":
        return ctx.eq(arg, ctx.true);
      default:
        return undefined;
    }
  }

  private handleArg(arg: QuickJSHandle | undefined, where: string): number {
    const { ctx } = this.run;
    if (!arg || ctx.typeof(arg) !== "number") throw new GuestError(`${where}: expected a tensor handle`);
    return ctx.getNumber(arg);
  }

  private tensorArg(arg: QuickJSHandle | undefined, where: string): tf.Tensor {
    const t = this.run.tensors.get(this.handleArg(arg, where));
    if (!t) throw new GuestError(`${where}: not a live tensor of this run (freed or invalid handle)`);
    return t;
  }

  /**
   * Reads an array-like guest value as plain JSON data (may run guest code: toJSON, getters).
   * With `onlyArray`, a value that is not an array reads as null, in the same guest call.
   */
  private readJson(arg: QuickJSHandle, what: string, onlyArray = false): unknown {
    const { ctx } = this.run;
    const result = ctx.callFunction(onlyArray ? this.list : this.json, ctx.undefined, arg);
    this.run.checkDeadline();
    if (result.error) {
      const dumped: unknown = ctx.dump(result.error);
      result.error.dispose();
      const text = dumped && typeof dumped === "object" ? (dumped as { message?: unknown }).message : dumped;
      if (text === "out of memory")
        throw new RunLimitError("memory", "Memory limit exceeded: the run used too much memory.");
      if (text === "stack overflow")
        throw new RunLimitError("stack", "Stack limit exceeded: too much recursion.");
      throw new GuestError(`${what}: could not be read`);
    }
    const str = result.value;
    try {
      if (onlyArray && ctx.typeof(str) === "object") return null; // not an array (list gave null)
      if (ctx.typeof(str) !== "string") throw new GuestError(`${what}: could not be read`);
      return parseJsonText(ctx.getString(str), what);
    } finally {
      str.dispose();
    }
  }

  private guestKind(arg: QuickJSHandle): string {
    const { ctx } = this.run;
    const result = ctx.callFunction(this.kind, ctx.undefined, arg);
    if (result.error) {
      result.error.dispose();
      return "unknown";
    }
    const kind = ctx.getString(result.value);
    result.value.dispose();
    return kind;
  }

  /**
   * A guest list of integers (kinds "ints" and "tensors"): an array, read through the guest's
   * JSON.stringify in one guest call (null when it is not an array), or the JSON text of one as a
   * string — a primitive, read without running any guest code (the library passes its own lists so,
   * which saves that call). Anything else, or text that is not JSON, reads as null.
   */
  private listArg(arg: QuickJSHandle | undefined, type: string, what: string): unknown {
    const { ctx } = this.run;
    if (!arg) return null;
    if (type === "object") return this.readJson(arg, what, true);
    if (type !== "string") return null;
    return parseJsonText(ctx.getString(arg), what);
  }

  private intList(value: unknown, what: string, max: number): number[] {
    if (!Array.isArray(value) || value.length > max)
      throw new GuestError(`${what}: expected a list of at most ${max} integers`);
    for (const v of value) {
      if (!Number.isSafeInteger(v)) throw new GuestError(`${what}: expected a list of integers`);
    }
    return value as number[];
  }

  /** Converts one guest argument per its declared kind. Tensor handles are resolved later. */
  private convert(
    arg: QuickJSHandle | undefined,
    kind: ArgKind,
    what: string,
  ): KernelArg | { handles: number[] } | { handle: number } {
    const { ctx } = this.run;
    const type = arg ? ctx.typeof(arg) : "undefined";
    const optional = kind === "int?" || kind === "ints?";
    // typeof null is "object" in QuickJS; a strict comparison with null runs no guest code.
    if (optional && (type === "undefined" || (arg && type === "object" && ctx.eq(arg, ctx.null))))
      return undefined;
    switch (kind) {
      case "tensor":
        return { handle: this.handleArg(arg, what) };
      case "tensors": {
        const list = this.listArg(arg, type, what);
        if (!Array.isArray(list)) throw new GuestError(`${what}: expected a list of tensor handles`);
        return { handles: this.intList(list, what, MAX_TENSOR_LIST) };
      }
      case "number": {
        if (type !== "number" || !arg) throw new GuestError(`${what}: expected a number`);
        const n = ctx.getNumber(arg);
        if (!Number.isFinite(n)) throw new GuestError(`${what}: expected a finite number`, "RangeError");
        return n;
      }
      case "int":
      case "int?": {
        const n = type === "number" && arg ? ctx.getNumber(arg) : Number.NaN;
        if (!Number.isSafeInteger(n)) throw new GuestError(`${what}: expected an integer`);
        return n;
      }
      case "ints":
      case "ints?": {
        const list = this.listArg(arg, type, what);
        if (!Array.isArray(list)) throw new GuestError(`${what}: expected a list of integers`);
        return this.intList(list, what, MAX_LIST);
      }
      case "data":
        return this.data(arg, what);
      case "bool":
        if (type !== "boolean" || !arg) throw new GuestError(`${what}: expected a boolean`);
        return ctx.eq(arg, ctx.true);
      case "string": {
        if (type !== "string" || !arg) throw new GuestError(`${what}: expected a string`);
        const s = ctx.getString(arg);
        if (s.length > MAX_STRING) throw new GuestError(`${what}: string too long`, "RangeError");
        return s;
      }
    }
  }

  /** Flat numeric data: a guest ArrayBuffer of Float32 values, or an array of numbers. */
  private data(arg: QuickJSHandle | undefined, what: string): Float32Array {
    const { ctx } = this.run;
    const kind = arg ? this.guestKind(arg) : "undefined";
    if (arg && kind === "arraybuffer") {
      const view = ctx.getArrayBuffer(arg);
      try {
        const bytes = view.value;
        if (bytes.byteLength % 4 !== 0)
          throw new GuestError(`${what}: buffer length must be a multiple of 4`, "RangeError");
        if (bytes.byteLength > this.run.maxDataBytes)
          throw new RunLimitError("tensors", "Tensor limit exceeded: data too large.");
        this.run.tensors.admit("tensor data", bytes.byteLength);
        return new Float32Array(bytes.slice().buffer);
      } finally {
        view.dispose();
      }
    }
    if (arg && kind === "array") {
      const values = this.readJson(arg, what);
      if (!Array.isArray(values)) throw new GuestError(`${what}: expected numbers`);
      if (values.length * 4 > this.run.maxDataBytes)
        throw new RunLimitError("tensors", "Tensor limit exceeded: data too large.");
      this.run.tensors.admit("tensor data", values.length * 4);
      const out = new Float32Array(values.length);
      for (let i = 0; i < values.length; i++) {
        const v: unknown = values[i];
        if (typeof v === "number") out[i] = v;
        else if (v === null) out[i] = Number.NaN;
        else throw new GuestError(`${what}: expected only numbers`);
      }
      return out;
    }
    throw new GuestError(`${what}: expected an ArrayBuffer or an array of numbers`);
  }

  /** Runs a kernel; a check-only kernel only when `forCheck` (the caller showed the check token). */
  private callKernel(args: QuickJSHandle[], forCheck: boolean): QuickJSHandle {
    const { ctx, library, tensors } = this.run;
    const [opHandle, ...rest] = args;
    if (!opHandle || ctx.typeof(opHandle) !== "string") throw new GuestError("__host.k: expected an op name");
    const op = ctx.getString(opHandle);
    if (CHECK_ONLY_KERNELS.has(op) !== forCheck) {
      throw new GuestError(
        forCheck ? `kernel "${op}" is not a check kernel` : `kernel "${op}" is for checks only`,
        "Error",
      );
    }
    const kernel = Object.prototype.hasOwnProperty.call(library.kernels, op)
      ? library.kernels[op]
      : undefined;
    if (!kernel) throw new GuestError(`unknown kernel "${op.slice(0, 100)}"`);
    if (rest.length !== kernel.args.length) {
      throw new GuestError(`kernel "${op}" expects ${kernel.args.length} arguments, got ${rest.length}`);
    }
    // First read every argument (this may run guest code), then resolve handles, so a getter
    // cannot free a tensor between its resolution and the kernel call.
    const raw = kernel.args.map((kind, i) => this.convert(rest[i], kind, `${op} argument ${i + 1}`));
    const resolved: KernelArg[] = raw.map((value, i) => {
      if (value && typeof value === "object" && "handle" in value) return this.resolve(value.handle, op, i);
      if (value && typeof value === "object" && "handles" in value)
        return value.handles.map((h) => this.resolve(h, op, i));
      return value as KernelArg;
    });
    const result = this.runKernel(op, resolved);
    // A call of a tape kernel is recorded with the handles of its results.
    const registered = !forCheck && this.tape?.records(op) === true ? [] : undefined;
    const guest = this.toGuest(result, tensors, registered);
    if (registered) this.tape!.record(op, raw as RecordedArg[], registered);
    return guest;
  }

  /**
   * Runs kernel `op` on resolved arguments: its guard and the run's quota first, a refusal or a
   * backend failure as the guest error for it, the deadline after.
   */
  private runKernel(op: string, resolved: KernelArg[]): KernelResult {
    const { kernels } = this.run.library;
    const kernel = Object.prototype.hasOwnProperty.call(kernels, op) ? kernels[op] : undefined;
    if (!kernel) throw new Error(`unknown kernel "${op}"`);
    let result: KernelResult;
    try {
      // The guard refuses bad arguments and sizes the call's allocations; the quota is checked
      // before the kernel allocates anything.
      this.run.tensors.admit(op, kernel.guard?.(...resolved) ?? 0);
      result = kernel.run(...resolved);
    } catch (err) {
      if (err instanceof RunLimitError || err instanceof GuestError) throw err;
      if (err instanceof KernelArgumentError)
        throw new GuestError(withShapes(err.message, resolved).slice(0, 500), "RangeError");
      if (err instanceof RangeError && /call stack/i.test(err.message)) throw err;
      this.run.kernelFailed(op);
      throw new GuestError(withShapes(`${op} failed inside the tensor backend`, resolved), "Error");
    }
    try {
      this.run.checkDeadline();
    } catch (err) {
      disposeTensors(result);
      throw err;
    }
    return result;
  }

  /** Frees a handle of the run (and forgets a tape entry filed under it). */
  private free(handle: number): void {
    this.run.tensors.free(handle);
    this.tape?.forget(handle);
  }

  /**
   * `__host.backward(root, nodes, leaves)`: a backward walk through recorded kernel calls (see
   * GuestHost.backward and sandbox/kernel/tape.ts). Runs no guest code: every argument is a
   * primitive or a list's JSON text (an array is read as for a kernel's list argument).
   */
  private backward(args: QuickJSHandle[]): QuickJSHandle {
    const { ctx, tensors } = this.run;
    const tape = this.tape!;
    const root = this.handleArg(args[0], "backward");
    const lists = [args[1], args[2]].map((arg, i) => {
      const what = `backward argument ${i + 2}`;
      const list = this.listArg(arg, arg ? ctx.typeof(arg) : "undefined", what);
      return this.intList(list, what, MAX_LIST);
    });
    const host: TapeHost = {
      tensor: (h) => tensors.get(h),
      call: (op, kernelArgs) => this.runKernel(op, kernelArgs),
      register: (t) => tensors.add(t),
      free: (h) => this.free(h),
    };
    const grads = tape.walk(root, lists[0]!, lists[1]!, host);
    return grads === null ? ctx.null : this.toGuest(grads);
  }

  private resolve(handle: number, op: string, i: number): tf.Tensor {
    const t = this.run.tensors.get(handle);
    if (!t)
      throw new GuestError(
        `${op} argument ${i + 1}: not a live tensor of this run (freed or invalid handle)`,
      );
    return t;
  }

  /** A kernel result as a guest value; `registered`, when given, receives the handles made. */
  private toGuest(value: KernelResult, tensors?: TensorTable, registered?: number[]): QuickJSHandle {
    const { ctx } = this.run;
    if (value === null || value === undefined) return ctx.null;
    if (typeof value === "number") return ctx.newNumber(value);
    if (typeof value === "boolean") return value ? ctx.true : ctx.false;
    if (typeof value === "string") return ctx.newString(value);
    if (value instanceof Float32Array) {
      // QuickJS copies the bytes into its own heap; a kernel's fresh array is handed over as is.
      const whole = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength;
      return ctx.newArrayBuffer(
        whole && value.buffer instanceof ArrayBuffer ? value.buffer : value.slice().buffer,
      );
    }
    if (Array.isArray(value)) {
      const list = value as (number | tf.Tensor)[];
      // Register every tensor before building the guest array; over quota, the tensors not yet
      // registered are disposed here (registered ones are freed with the run).
      const items: number[] = [];
      try {
        for (const item of list) {
          if (typeof item === "number") items.push(item);
          else {
            const h = this.register(item, tensors);
            items.push(h);
            registered?.push(h);
          }
        }
      } catch (err) {
        disposeTensors(list.slice(items.length + 1));
        throw err;
      }
      const array = ctx.newArray();
      items.forEach((n, i) => {
        const h = ctx.newNumber(n);
        ctx.setProp(array, i, h);
        h.dispose();
      });
      return array;
    }
    const h = this.register(value, tensors);
    registered?.push(h);
    return ctx.newNumber(h);
  }

  private register(t: tf.Tensor, tensors?: TensorTable): number {
    if (!tensors) throw new GuestError("unexpected tensor result", "Error");
    return tensors.add(t);
  }

  private emit(typeArg: QuickJSHandle | undefined, payloadArg: QuickJSHandle | undefined): void {
    const { ctx } = this.run;
    if (!typeArg || ctx.typeof(typeArg) !== "string" || !payloadArg) {
      throw new GuestError("__host.emit: expected a type and a payload");
    }
    const type = ctx.getString(typeArg);
    if (type === "check") {
      throw new GuestError("check results can only be reported by check modules", "Error");
    }
    if (type !== "plot" && type !== "metric") {
      throw new GuestError('__host.emit: type must be "plot" or "metric"');
    }
    // Output made while a check runs (a check calling attempt.fit()) is the check's, not part of
    // the attendee's own run: consumers keep it apart (events.ts).
    const during = this.run.currentCheck ? { check: this.run.currentCheck.id } : {};
    const payload = this.readJson(payloadArg, `${type} payload`);
    try {
      if (type === "plot") {
        if (++this.plots > EMIT_CAPS.plotsPerRun)
          throw new RunLimitError("output", "Output limit exceeded: too many plots.");
        const plot = validatePlot(payload, `plot-${this.plots}`);
        this.run.deliver({ type: "plot", plot, ...during }, 0);
      } else if (type === "metric") {
        if (++this.metrics > EMIT_CAPS.metricsPerRun)
          throw new RunLimitError("output", "Output limit exceeded: too many metrics.");
        this.run.deliver({ type: "metric", ...validateMetric(payload), ...during }, 0);
      }
    } catch (err) {
      if (err instanceof EmitError) throw new GuestError(`__host.emit(${type}): ${err.message}`);
      throw err;
    }
  }
}

/** Disposes the tensors of a kernel result the guest will never see. */
function disposeTensors(result: KernelResult | (number | tf.Tensor)[]): void {
  const items: unknown[] = Array.isArray(result) ? result : [result];
  for (const item of items) {
    if (
      item !== null &&
      typeof item === "object" &&
      "dispose" in item &&
      typeof item.dispose === "function"
    ) {
      (item as tf.Tensor).dispose();
    }
  }
}
