/**
 * The host's tape: the calls of a library's fused forward kernels (HostLibrary.tape), by output
 * handle, so that a guest's backward() can hand the whole walk to the host in one call
 * (GuestHost.backward) instead of one bridge crossing per node, per gradient and per free.
 *
 * The tape is only a cache of what the guest's own graph says. The guest names the walk's nodes
 * in the order its autograd would process them, with their inputs, and its leaves; the host runs,
 * in that order, the very kernel calls the guest's walk would make (the rule's backward kernel per
 * node, `add` where two gradients meet, `fill` for the seed), so the numbers are bit for bit the
 * same. When a node is not on the tape as the guest describes it (another op, other inputs, a
 * saved tensor freed) the host answers null and the guest walks itself. The walk frees only the
 * tensors it made, and runs no guest code.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { KernelArg, KernelResult, TapeRule } from "./types.js";

/** One forward call's argument as recorded: a tensor's handle, or a converted plain value. */
export type RecordedArg = { handle: number } | Exclude<KernelArg, tf.Tensor | tf.Tensor[]>;

/** What the walk needs from the host's handle table and kernel caller. */
export interface TapeHost {
  /** The live tensor behind a handle, or undefined. */
  tensor(handle: number): tf.Tensor | undefined;
  /** Calls a kernel (its guard, the run's quota and deadline as for a guest call). */
  call(op: string, args: KernelArg[]): KernelResult;
  /** Registers a tensor the walk made and returns its handle. */
  register(t: tf.Tensor): number;
  /** Frees a handle the walk made. */
  free(handle: number): void;
}

interface Entry {
  readonly rule: TapeRule;
  readonly args: readonly RecordedArg[];
  /** Handles of the call's tensor results (the first is the output the entry is filed under). */
  readonly results: readonly number[];
}

/** Most nodes (with their inputs) and leaves one walk takes. */
const MAX_WALK = 1 << 16;

export class Tape {
  private readonly entries = new Map<number, Entry>();

  constructor(private readonly rules: Readonly<Record<string, TapeRule>>) {}

  /** Whether calls of `op` are recorded. */
  records(op: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.rules, op);
  }

  /** Records a call of `op` (one `records` accepts) with its converted arguments and result handles. */
  record(op: string, args: readonly RecordedArg[], results: readonly number[]): void {
    const rule = this.rules[op];
    if (rule !== undefined && results.length > 0) this.entries.set(results[0]!, { rule, args, results });
  }

  /** Forgets the call whose output was `handle` (the handle was freed). */
  forget(handle: number): void {
    this.entries.delete(handle);
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The backward walk (GuestHost.backward): the leaves' gradient handles (0 where none), or null
   * when a node is not on the tape as given. A kernel's failure frees what the walk made and is
   * raised again.
   */
  walk(
    root: number,
    flatNodes: readonly number[],
    leaves: readonly number[],
    host: TapeHost,
  ): number[] | null {
    if (flatNodes.length > MAX_WALK || leaves.length > MAX_WALK) return null;
    const nodes = this.nodes(flatNodes);
    if (nodes === null || nodes.length === 0 || nodes[0]!.handle !== root) return null;
    const internal = new Set<number>();
    for (const node of nodes) {
      if (internal.has(node.handle)) return null;
      internal.add(node.handle);
    }
    const leafSet = new Set(leaves);
    if (leafSet.size !== leaves.length || leaves.some((h) => internal.has(h))) return null;
    const rootTensor = host.tensor(root);
    if (rootTensor === undefined || rootTensor.size !== 1) return null;
    // Everything is resolved before any kernel runs.
    const resolved: { args: KernelArg[]; results: tf.Tensor[] }[] = [];
    for (const node of nodes) {
      const entry = this.entries.get(node.handle);
      if (entry === undefined) return null;
      const { inputs } = entry.rule;
      if (inputs.length !== node.inputs.length) return null;
      for (let i = 0; i < inputs.length; i++) {
        const arg = entry.args[inputs[i]!];
        if (!isHandle(arg) || arg.handle !== node.inputs[i]) return null;
      }
      const args: KernelArg[] = [];
      for (const arg of entry.args) {
        if (!isHandle(arg)) args.push(arg);
        else {
          const t = host.tensor(arg.handle);
          if (t === undefined) return null;
          args.push(t);
        }
      }
      const results: tf.Tensor[] = [];
      for (const h of entry.results) {
        const t = host.tensor(h);
        if (t === undefined) return null;
        results.push(t);
      }
      resolved.push({ args, results });
    }

    const made = new Set<number>(); // handles this walk registered and has not handed over
    const keep = (t: tf.Tensor): number => {
      const h = host.register(t);
      made.add(h);
      return h;
    };
    const drop = (h: number): void => {
      made.delete(h);
      host.free(h);
    };
    const tensor = (h: number): tf.Tensor => host.tensor(h)!;
    const grads = new Map<number, number>(); // node or leaf handle → its gradient's handle
    // As autograd's GradientStore: a second gradient reaching a tensor is added to the first.
    const add = (node: number, g: number): void => {
      const previous = grads.get(node);
      if (previous === undefined) {
        grads.set(node, g);
        return;
      }
      const sum = keep(single(host.call("add", [tensor(previous), tensor(g)])));
      drop(previous);
      drop(g);
      grads.set(node, sum);
    };
    try {
      add(root, keep(single(host.call("fill", [rootTensor.shape, 1, "float32"]))));
      for (let n = 0; n < nodes.length; n++) {
        const node = nodes[n]!;
        const g = grads.get(node.handle);
        if (g === undefined) continue;
        grads.delete(node.handle);
        const needs = node.inputs.map((h) => internal.has(h) || leafSet.has(h));
        const { args, results } = resolved[n]!;
        const step = this.entries.get(node.handle)!.rule.backward(args, results, tensor(g), needs);
        const out = host.call(step.op, step.args);
        const list: tf.Tensor[] = Array.isArray(out) ? (out as tf.Tensor[]) : [single(out)];
        const handles: number[] = [];
        for (let i = 0; i < list.length; i++) {
          try {
            handles.push(keep(list[i]!));
          } catch (err) {
            for (const t of list.slice(i + 1)) t.dispose();
            throw err;
          }
        }
        const used = new Set<number>();
        for (let j = 0; j < node.inputs.length; j++) {
          const at = step.grads[j];
          if (!needs[j] || at === null || at === undefined) continue;
          const h = handles[at];
          if (h === undefined || used.has(at)) throw new Error(`${step.op}: no gradient for input ${j + 1}`);
          used.add(at);
          add(node.inputs[j]!, h);
        }
        handles.forEach((h, i) => {
          if (!used.has(i)) drop(h);
        });
        drop(g);
        this.entries.delete(node.handle); // like the guest's graph, freed once walked
      }
      const out = leaves.map((h) => grads.get(h) ?? 0);
      for (const h of out) made.delete(h);
      return out;
    } finally {
      for (const h of made) host.free(h);
    }
  }

  /** The guest's flat node list ([handle, count, ...inputs]…) as nodes, or null if malformed. */
  private nodes(flat: readonly number[]): { handle: number; inputs: number[] }[] | null {
    const nodes: { handle: number; inputs: number[] }[] = [];
    let i = 0;
    while (i < flat.length) {
      const handle = flat[i]!;
      const count = flat[i + 1];
      if (count === undefined || count < 0 || i + 2 + count > flat.length) return null;
      nodes.push({ handle, inputs: flat.slice(i + 2, i + 2 + count) });
      i += 2 + count;
    }
    return nodes;
  }
}

function isHandle(arg: RecordedArg | undefined): arg is { handle: number } {
  return arg !== null && typeof arg === "object" && "handle" in arg;
}

function single(result: KernelResult): tf.Tensor {
  if (
    result === null ||
    typeof result !== "object" ||
    Array.isArray(result) ||
    result instanceof Float32Array
  )
    throw new Error("expected one tensor");
  return result;
}
