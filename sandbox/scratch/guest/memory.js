// @ts-check
/**
 * Tensor lifetimes. Host tensors are not garbage-collected with the guest objects that hold their
 * handles, so `scratch` frees them explicitly: `tidy(fn)` frees every tensor created while `fn`
 * runs except those it returns (or marked with `keep()`); `dispose(x)` frees at once. Anything
 * left is freed when the run ends.
 *
 * A bridge crossing costs more than freeing a small tensor, so frees are gathered and made
 * together: those of one `tidy()` (its body and its end) in one host call when it returns,
 * unless the batch grows past a few hundred tensors or 4 MB first. A disposed tensor is unusable
 * at once; only its host memory may wait for the end of the enclosing `tidy()`.
 */

import { host } from "scratch/_host";

const scopes = [];
let live = 0;

/**
 * Most frees a batch holds back before it makes them (at most MAX_FREE_MANY in
 * sandbox/kernel/types.ts): few next to the run's tensor count quota (20,000 by default), many
 * next to the ~25 a training step frees.
 */
const FREE_BATCH = 256;
/**
 * Elements a batch may hold back from the host before it frees them anyway (4 MB of float32), so
 * that batching never keeps much memory alive: large tensors go at once.
 */
const HELD_ELEMENTS = 1 << 20;
/** Handles whose frees are being gathered into one host call, or null when frees go at once. */
let pending = null;
let held = 0;

/**
 * @internal Frees a host handle: at once, or with the batch `batchFrees` is gathering.
 * `elements` is the tensor's size when known (else it counts as large).
 */
export function freeHandle(handle, elements = HELD_ELEMENTS) {
  if (pending === null) host.free(handle);
  else {
    pending.push(handle);
    held += elements;
    if (pending.length === FREE_BATCH || held >= HELD_ELEMENTS) flush();
  }
}

function flush() {
  const handles = pending;
  pending = [];
  held = 0;
  if (handles.length === 1) host.free(handles[0]);
  else if (handles.length > 1) host.freeMany(...handles);
}

/**
 * @internal Runs `fn`, gathering the host frees it makes into one `host.freeMany` call at its end
 * (a bridge crossing costs more than freeing a small tensor). Nested calls join the outer batch:
 * inside a `tidy()`, that is the tidy's.
 */
export function batchFrees(fn) {
  if (pending !== null) return fn();
  pending = [];
  try {
    return fn();
  } finally {
    try {
      flush();
    } finally {
      pending = null;
    }
  }
}

/** @internal Called by every new Tensor: counts it and puts it in the innermost tidy scope. */
export function track(t) {
  live++;
  if (scopes.length > 0) scopes[scopes.length - 1].add(t);
}

/** @internal Called when a Tensor frees its handle. */
export function untrack() {
  live--;
}

/** Tensors of this run that are still alive, as the library counts them. */
export function memory() {
  return { tensors: live };
}

/** Every tensor found in a value: a tensor, or arrays and plain objects holding tensors. */
function tensorsIn(value, found = new Set()) {
  if (value === null || typeof value !== "object") return found;
  if (typeof value.dispose === "function" && "handle" in value) found.add(value);
  else if (Array.isArray(value)) for (const v of value) tensorsIn(v, found);
  else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) tensorsIn(v, found);
  }
  return found;
}

/**
 * Runs `fn` and frees every tensor it created, except the ones in its result.
 * @example const loss = tidy(() => model.forward(x).sub(y).pow(2).mean())
 */
export function tidy(fn) {
  return batchFrees(() => tidyScope(fn));
}

function tidyScope(fn) {
  const scope = new Set();
  scopes.push(scope);
  let result;
  try {
    result = fn();
  } catch (error) {
    scopes.pop();
    batchFrees(() => {
      for (const t of scope) if (!t._kept) t.dispose();
    });
    throw error;
  }
  scopes.pop();
  if (result !== null && typeof result === "object" && typeof result.then === "function") {
    throw new Error("tidy(fn): fn must be synchronous (it returned a promise)");
  }
  const kept = tensorsIn(result);
  batchFrees(() => {
    for (const t of scope) if (!kept.has(t) && !t._kept) t.dispose();
  });
  const parent = scopes[scopes.length - 1];
  if (parent !== undefined) for (const t of kept) if (scope.has(t)) parent.add(t);
  return result;
}

/** Frees the tensors in `value` (a tensor, or arrays/objects of tensors) now. */
export function dispose(value) {
  batchFrees(() => {
    for (const t of tensorsIn(value)) t.dispose();
  });
}

/**
 * The gradients under construction during one backward(), and their lifetimes, so that the
 * backward walk itself is only the chain rule. A gradient tensor may be held by several nodes at
 * once (an op like add hands its gradient on unchanged), so each is reference-counted and freed
 * when its last holder is done with it. A gradient passed in by the caller is never freed.
 */
export class GradientStore {
  /** @param external a tensor the caller owns (the root's given gradient), or undefined */
  constructor(external) {
    this.byNode = new Map();
    this.holders = new Map();
    this.external = external;
  }

  hold(t) {
    this.holders.set(t, (this.holders.get(t) ?? 0) + 1);
  }

  release(t) {
    const n = (this.holders.get(t) ?? 1) - 1;
    if (n > 0) this.holders.set(t, n);
    else {
      this.holders.delete(t);
      if (t !== this.external) t.dispose();
    }
  }

  /** Adds `g` to the gradient gathered for `node`. */
  add(node, g) {
    this.hold(g);
    const previous = this.byNode.get(node);
    if (previous === undefined) {
      this.byNode.set(node, g);
      return;
    }
    const sum = previous.add(g);
    this.release(previous);
    this.release(g);
    this.hold(sum);
    this.byNode.set(node, sum);
  }

  /** The complete gradient of `node` (undefined if none reached it); the caller must call `done`. */
  take(node) {
    const g = this.byNode.get(node);
    this.byNode.delete(node);
    return g;
  }

  /** The caller has finished with `g`, a gradient it took. */
  done(g) {
    this.release(g);
  }

  /** Hands a taken gradient over for keeps: `g` itself when nothing else holds it, else a copy. */
  own(g) {
    if (this.holders.get(g) === 1 && g !== this.external) {
      this.holders.delete(g);
      return g;
    }
    const copy = g.clone();
    this.release(g);
    return copy;
  }
}
