/**
 * An in-process {@link GuestHost} for tests and benchmarks: guest modules are imported straight
 * into Node (vitest resolves "scratch/…" to sandbox/scratch/guest/), and their `__host` calls go
 * directly to the kernel table — no sandbox in between. It converts arguments per ArgKind like the
 * runner's bridge does, keeps a handle table, and records emitted events.
 */
import * as tf from "@tensorflow/tfjs-core";
import { KernelArgumentError } from "../../kernel/argument-error.js";
import { withShapes } from "../../kernel/shape-context.js";
import { Tape, type RecordedArg } from "../../kernel/tape.js";
import { MAX_FREE_MANY } from "../../kernel/types.js";
import type {
  ArgKind,
  GuestHost,
  KernelArg,
  KernelResult,
  KernelTable,
  TapeRule,
} from "../../kernel/types.js";

export interface EmittedEvent {
  type: "plot" | "metric" | "check";
  payload: unknown;
}

export interface DirectHost extends GuestHost {
  /** Live handles in the table. */
  readonly live: number;
  readonly events: EmittedEvent[];
  /** Changes what the next runs see (seed, allowed sub-modules). */
  configure(options: { seed?: number; allowed?: readonly string[] }): void;
  /** Frees every live tensor, as the runner does at the end of a run. */
  freeAll(): void;
  /** The host tensor behind a handle (tests compare against tfjs directly). */
  tensor(handle: number): tf.Tensor;
}

function fail(op: string, i: number, expected: string, value: unknown): never {
  throw new TypeError(
    `${op}: argument ${i + 1} must be ${expected}, got ${JSON.stringify(value) ?? typeof value}`,
  );
}

/**
 * @param tape the library's tape rules: the host then records those kernels' calls and offers
 * `backward` as the runner's bridge does
 */
export function createDirectHost(
  kernels: KernelTable,
  tapeRules?: Readonly<Record<string, TapeRule>>,
): DirectHost {
  const table = new Map<number, tf.Tensor>();
  const tape = tapeRules ? new Tape(tapeRules) : undefined;
  let nextHandle = 1;
  let seed: number | undefined;
  let allowed: readonly string[] | undefined;
  const events: EmittedEvent[] = [];
  // Checks begun and not yet ended (no token here: guest modules run unsandboxed in tests).
  const openChecks = new Map<number, string>();
  let nextCheck = 1;

  const lookup = (h: unknown): tf.Tensor => {
    const t = typeof h === "number" ? table.get(h) : undefined;
    if (t === undefined) throw new Error(`unknown or freed tensor handle ${String(h)}`);
    return t;
  };
  const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);
  /** A list argument: an array, or (as the bridge takes it, and the library sends it) its JSON text. */
  const list = (v: unknown): unknown => {
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return v;
    }
  };
  const ints = (op: string, i: number, raw: unknown): number[] => {
    const v = list(raw);
    return Array.isArray(v) && v.every(isInt) ? v : fail(op, i, "a list of integers", v);
  };

  const convert = (op: string, kind: ArgKind, v: unknown, i: number): KernelArg => {
    switch (kind) {
      case "tensor":
        return lookup(v);
      case "tensors": {
        const handles = list(v);
        return Array.isArray(handles) ? handles.map(lookup) : fail(op, i, "a list of tensors", handles);
      }
      case "number":
        return typeof v === "number" && Number.isFinite(v) ? v : fail(op, i, "a finite number", v);
      case "int":
        return isInt(v) ? v : fail(op, i, "an integer", v);
      case "ints":
        return ints(op, i, v);
      case "int?":
        return v === null || v === undefined ? undefined : isInt(v) ? v : fail(op, i, "an integer", v);
      case "ints?":
        return v === null || v === undefined ? undefined : ints(op, i, v);
      case "data":
        if (v instanceof ArrayBuffer) return new Float32Array(v.slice(0));
        if (Array.isArray(v) && v.every((x) => typeof x === "number")) return Float32Array.from(v);
        return fail(op, i, "Float32 data", v);
      case "bool":
        return typeof v === "boolean" ? v : fail(op, i, "a boolean", v);
      case "string":
        return typeof v === "string" ? v : fail(op, i, "a string", v);
    }
  };

  const register = (t: tf.Tensor): number => {
    const h = nextHandle++;
    table.set(h, t);
    return h;
  };

  const toGuest = (r: KernelResult): unknown => {
    if (r instanceof tf.Tensor) return register(r);
    if (Array.isArray(r) && r.every((x) => x instanceof tf.Tensor)) return (r as tf.Tensor[]).map(register);
    if (r instanceof Float32Array) return r.slice().buffer;
    return r;
  };

  const release = (handle: number): void => {
    const t = table.get(handle);
    if (t !== undefined) {
      t.dispose();
      table.delete(handle);
    }
    tape?.forget(handle);
  };

  const run = (op: string, converted: KernelArg[]): KernelResult => {
    const kernel = kernels[op]!;
    // The kernel's guard runs as in the bridge, so library tests also prove it admits honest calls.
    try {
      kernel.guard?.(...converted);
      return kernel.run(...converted);
    } catch (error) {
      // As the bridge does: a refusal names the shapes of the call's tensors.
      if (error instanceof KernelArgumentError)
        throw new KernelArgumentError(withShapes(error.message, converted));
      throw error;
    }
  };

  const host: DirectHost = {
    k(op, ...args) {
      const kernel = Object.hasOwn(kernels, op) ? kernels[op] : undefined;
      if (kernel === undefined) throw new Error(`unknown kernel "${op}"`);
      if (args.length !== kernel.args.length) {
        throw new TypeError(`${op}: expected ${kernel.args.length} arguments, got ${args.length}`);
      }
      const converted = kernel.args.map((kind, i) => convert(op, kind, args[i], i));
      const result = toGuest(run(op, converted));
      if (tape?.records(op)) {
        const recorded = converted.map((v, i): RecordedArg =>
          kernel.args[i] === "tensor" ? { handle: args[i] as number } : (v as RecordedArg),
        );
        tape.record(op, recorded, typeof result === "number" ? [result] : (result as number[]));
      }
      return result;
    },
    free: release,
    freeMany(...handles) {
      if (handles.length > MAX_FREE_MANY) throw new RangeError(`freeMany: at most ${MAX_FREE_MANY} handles`);
      for (const h of handles) release(h);
    },
    shape: (handle) => [...lookup(handle).shape],
    dtype: (handle) => lookup(handle).dtype as "float32" | "int32" | "bool",
    emit(type, payload) {
      events.push({ type, payload });
    },
    checkKernel(_token, op, ...args) {
      return host.k(op, ...args);
    },
    checkBegin(_token, name) {
      openChecks.set(nextCheck, name);
      return nextCheck++;
    },
    checkEnd(_token, id, passed, message, hint) {
      const name = openChecks.get(id);
      if (name === undefined) throw new Error(`no open check ${id}`);
      openChecks.delete(id);
      events.push({ type: "check", payload: { name, passed, message, hint } });
    },
    get seed() {
      return seed;
    },
    allows: (specifier) => allowed === undefined || allowed.includes(specifier),
    ...(tape && {
      backward(root: number, nodes: number[] | string, leaves: number[] | string) {
        const ints = (v: number[] | string) => (typeof v === "string" ? (JSON.parse(v) as number[]) : v);
        return tape.walk(root, ints(nodes), ints(leaves), {
          tensor: (h) => table.get(h),
          call: run,
          register,
          free: release,
        });
      },
    }),
    get live() {
      return table.size;
    },
    events,
    configure(options) {
      seed = options.seed;
      allowed = options.allowed;
    },
    freeAll() {
      for (const t of table.values()) t.dispose();
      table.clear();
    },
    tensor: lookup,
  };
  return host;
}
