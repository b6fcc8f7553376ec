// @ts-check
/**
 * Checks for tasks. `check(name, fn)` runs fn and emits a `check` event (passed, or the failure's
 * message and a hint); inside it, the `expect…` helpers throw a `CheckFailure` that says which
 * element is wrong and guesses why (transposed, wrong sign, off by a constant factor, wrong shape).
 * `gradCheck` compares autograd's gradients with tfjs's own (the oracle).
 *
 * @example
 * check("forward pass", () => expectClose(attempt.forward(x), tensor([[1, 2]]), { atol: 1e-4 }));
 */
import { host } from "scratch/_host";
import { token } from "scratch/_check-token";
import { runBackward } from "scratch/autograd";
import { nonFiniteReport } from "scratch/nonfinite";
import { randn, tidy, Tensor } from "scratch/tensor";

// Taken while the realm is still the library's own (it is frozen before attendee code runs; these
// are the checks' own references all the same).
const ErrorProto = Error.prototype;
/** The built-in error prototypes and their names, read while the realm is the library's own. */
const errorNames = new Map(
  [Error, TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError]
    // QuickJS's own InternalError (stack overflow, interrupted), absent elsewhere.
    .concat(typeof globalThis.InternalError === "function" ? [globalThis.InternalError] : [])
    .map((E) => [E.prototype, E.prototype.name]),
);
const { getPrototypeOf, getOwnPropertyDescriptor } = Object;
const promiseThen = Promise.prototype.then;
const apply = Reflect.apply;
const functionSource = Function.prototype.toString;
const isArray = Array.isArray;

/** A failed expectation: `message` says what is wrong, `hint` a likely cause. */
export class CheckFailure extends Error {
  constructor(message, hint) {
    const hasHint = typeof hint === "string" && hint !== "";
    super(hasHint ? `${message} (${hint})` : message);
    this.name = "CheckFailure";
    this.detail = message;
    this.hint = hasHint ? hint : undefined;
  }
}

/** An own data property of `o` that is a string, read without running any getter or trap. */
function ownText(o, key) {
  const d = getOwnPropertyDescriptor(o, key);
  return d !== undefined && "value" in d && typeof d.value === "string" ? d.value : undefined;
}

/** Whether `v` is a real Error (its prototype chain, walked without running guest code). */
function isError(v) {
  for (let p = getPrototypeOf(v), n = 0; p !== null && n < 100; p = getPrototypeOf(p), n++) {
    if (p === ErrorProto) return true;
  }
  return false;
}

/** An error's name: the first own string `name` on its chain, or a built-in prototype's. */
function errorName(error) {
  for (let p = error, n = 0; p !== null && n < 100; p = getPrototypeOf(p), n++) {
    const own = ownText(p, "name");
    if (own !== undefined) return own;
    if (errorNames.has(p)) return errorNames.get(p);
  }
  return "Error";
}

/**
 * Where an error was thrown, as "file:line:col": the innermost stack frame outside the scratch
 * library (attendee, pack or check code), or undefined. Reads the error's own `stack` only.
 */
function origin(error) {
  const stack = ownText(error, "stack") ?? "";
  for (const [, where, file] of stack.matchAll(/\((([^():\s]+):\d+(?::\d+)?)\)/g)) {
    if (file !== "scratch" && !file.startsWith("scratch/")) return where;
  }
  return undefined;
}

/**
 * What went wrong, as [message, hint], read only from own string data properties: a thrown
 * object's getters, toString, valueOf or proxy traps never run here (a Proxy's traps that throw
 * give the generic message).
 */
function describeFailure(error, fn, callLine) {
  try {
    if (error === null || (typeof error !== "object" && typeof error !== "function")) {
      return [typeof error === "string" ? error : `${typeof error} thrown`];
    }
    if (error instanceof CheckFailure)
      return [ownText(error, "detail") ?? "check failed", ownText(error, "hint")];
    if (isError(error)) {
      const missing = missingExport(error, fn, callLine);
      if (missing !== undefined) return missing;
      const name = errorName(error);
      const where = origin(error);
      return [`${name}: ${ownText(error, "message") ?? ""}${where === undefined ? "" : ` (at ${where})`}`];
    }
  } catch {
    // A Proxy trap threw: fall through to the generic message.
  }
  return ["a value that is not an Error was thrown"];
}

/**
 * When a check fails with "not a function" at a call like `attempt.step(…)`, the attendee's module
 * most likely lacks that export: [message, hint] naming it. The call is found by the error's line in
 * the check's source (QuickJS's message names nothing), or by the name in the message (V8's does).
 * Reads the error's own data properties only, like {@link describeFailure}.
 */
function missingExport(error, fn, callLine) {
  const message = ownText(error, "message") ?? "";
  if (errorName(error) !== "TypeError" || !/not a function/.test(message)) return undefined;
  /** @type {readonly string[] | null} [whole match, object, method] */
  let call = /(\w+)\.(\w+) is not a function/.exec(message);
  if (call === null && typeof fn === "function") {
    const lines = apply(functionSource, fn, []).split("\n");
    const callsOn = (line) => [...(line ?? "").matchAll(/\battempt\.(\w+)\s*\(/g)];
    const top = /\((.*):(\d+):\d+\)/.exec((ownText(error, "stack") ?? "").split("\n")[0] ?? "");
    const sameFile = top !== null && callLine !== undefined && top[1] === callLine.file;
    const onLine = sameFile ? callsOn(lines[Number(top[2]) - callLine.line]) : [];
    const all = lines.flatMap(callsOn);
    const candidates = onLine.length > 0 ? onLine : top === null || sameFile ? all : [];
    if (candidates.length === 1) call = ["", "attempt", candidates[0][1]];
  }
  if (call === null || call[1] !== "attempt") return undefined;
  const name = call[2];
  return [
    `your code does not export ${name} (the check calls attempt.${name}, which is undefined)`,
    `add \`export function ${name}(…)\` (or \`export const ${name} = …\`) with exactly this name`,
  ];
}

/** The file and line from which `check(…)` was called (its function starts there), if known. */
function callerLine() {
  const frames = String(new Error().stack ?? "").split("\n");
  const m = /\((.*):(\d+):\d+\)/.exec(frames[2] ?? "");
  return m === null ? undefined : { file: m[1], line: Number(m[2]) };
}

const ignoreRejection = () => {};

/** Whether `v` is a genuine promise (a brand check that calls no then() of the guest's). */
function isPromise(v) {
  if (v === null || typeof v !== "object") return false;
  try {
    // The reaction swallows a rejection: the brand check must not leave an unhandled one behind.
    apply(promiseThen, v, [undefined, ignoreRejection]);
    return true;
  } catch {
    return false;
  }
}

function end(id, passed, error, fn, callLine) {
  if (passed) host.checkEnd(token, id, true);
  else {
    const [message, hint] = describeFailure(error, fn, callLine);
    host.checkEnd(token, id, false, message, hint);
  }
  return passed;
}

/**
 * Runs `fn` as a named check and reports its result: passed when fn returns (or its promise
 * resolves), failed with the message and hint of what it threw. Returns whether it passed (a
 * promise when fn returns a promise). Only a task's check modules can report a check; `name`
 * must be a string.
 */
export function check(name, fn) {
  const id = host.checkBegin(token, name);
  let result;
  const line = callerLine();
  try {
    result = fn();
  } catch (error) {
    return end(id, false, error, fn, line);
  }
  if (isPromise(result)) {
    return apply(promiseThen, result, [() => end(id, true), (error) => end(id, false, error, fn, line)]);
  }
  return end(id, true);
}

/**
 * Fails with `message` unless `condition` holds. The hint is a string, or an object choosing the
 * hint by what went wrong: `{ nonFinite, otherwise }` — `nonFinite` is shown when a tensor or
 * number in `values` holds NaN or ±Infinity (then the op that produced it is named, when known),
 * `otherwise` else.
 * @example expect(acc >= 0.9, `accuracy ${acc}`, { values: [W, b], otherwise: "a minus sign?" })
 */
export function expect(condition, message = "expectation failed", hint) {
  if (condition) return;
  throw new CheckFailure(message, chooseHint(hint));
}

/** The hint for a failed `expect`: a plain string, or chosen by whether the values are finite. */
function chooseHint(hint) {
  if (hint === undefined || typeof hint === "string") return hint;
  const values = hint.values ?? [];
  const broken = values.some((v) =>
    v instanceof Tensor ? !v.data().every(Number.isFinite) : !Number.isFinite(v),
  );
  if (!broken) return hint.otherwise;
  const source = nonFiniteReport();
  const base =
    hint.nonFinite ??
    "the values hold NaN or Infinity: training diverged (a learning rate too large?) or a log of 0 or a division by zero";
  return source === null ? base : `${base}; ${source}`;
}

// -- numeric comparison -------------------------------------------------------------------------

/** Most elements a comparison reads from one value. */
const MAX_VALUES = 1 << 24;

/** A primitive as a number (no guest code runs for a primitive); any object reads as NaN. */
const num = (v) =>
  typeof v === "number" ? v : typeof v === "boolean" || typeof v === "string" ? Number(v) : Number.NaN;

/**
 * A fresh list of plain numbers copied from `list` by index: anything else (an object with a
 * valueOf, a string) reads as NaN, so what is compared later is data, never the attendee's code.
 */
function numbers(list, out) {
  const n = list.length;
  if (!(n >= 0 && n <= MAX_VALUES - out.length)) throw new TypeError("expected at most 16M values");
  for (let i = 0; i < n; i++) {
    out[out.length] = num(list[i]);
  }
  return out;
}

/** Flattens nested arrays into `out`, numbers only. */
function flatten(x, out) {
  if (!isArray(x)) {
    out[out.length] = num(x);
    return out;
  }
  const n = x.length;
  if (!(n >= 0 && n <= MAX_VALUES)) throw new TypeError("expected at most 16M values");
  for (let i = 0; i < n; i++) flatten(x[i], out);
  return out;
}

/** A shape as a fresh list of integers. */
function shapeOf(list) {
  const out = numbers(list, []);
  if (!out.every((d) => Number.isInteger(d) && d >= 0))
    throw new TypeError("a tensor shape must be integers");
  return out;
}

/** The values and shape of a tensor, a number or nested arrays, as fresh plain data. */
function valuesOf(x) {
  if (x instanceof Tensor) return { flat: numbers(x.data(), []), shape: shapeOf(x.shape) };
  if (typeof x === "number") return { flat: [x], shape: [] };
  if (isArray(x)) {
    const shape = [];
    for (let v = x; isArray(v); v = v[0]) shape[shape.length] = typeof v.length === "number" ? v.length : 0;
    return { flat: flatten(x, []), shape };
  }
  throw new TypeError(`expected a tensor, a number or nested arrays, got ${typeof x}`);
}

const fmt = (v) => (Number.isInteger(v) ? String(v) : Number(v.toPrecision(6)).toString());
const shapeText = (s) => `[${s.join(", ")}]`;

function indexOf(i, shape) {
  const idx = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(i % shape[d]);
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

function transposed(flat, [rows, cols]) {
  const out = new Array(flat.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = flat[r * cols + c];
  return out;
}

function allClose(a, e, rtol, atol) {
  return a.length === e.length && a.every((v, i) => Math.abs(v - e[i]) <= atol + rtol * Math.abs(e[i]));
}

/** A likely cause of a mismatch between same-sized value lists. */
function diagnose(a, e, shape, rtol, atol) {
  if (!a.every(Number.isFinite)) {
    const source = nonFiniteReport();
    const what = a.some(Number.isNaN) ? "NaN" : "±Infinity";
    const base = `the result contains ${what}: a log of 0, a division by zero or an overflow?`;
    return source === null ? base : `${base} (${source})`;
  }
  if (
    allClose(
      a.map((v) => -v),
      e,
      rtol,
      atol,
    )
  )
    return "looks like the sign is flipped";
  if (shape.length === 2 && shape[0] === shape[1] && allClose(a, transposed(e, shape), rtol, atol)) {
    return "looks transposed";
  }
  const pairs = a.map((v, i) => [v, e[i]]).filter(([, ev]) => Math.abs(ev) > atol);
  if (pairs.length > 0) {
    const ratio = pairs[0][0] / pairs[0][1];
    if (
      Math.abs(ratio - 1) > rtol &&
      allClose(
        e.map((v) => v * ratio),
        a,
        rtol * 10,
        atol * 10,
      )
    ) {
      return `off by a constant factor of ${fmt(ratio)} (a missing or extra scale, e.g. mean versus sum)`;
    }
  }
  const offset = a[0] - e[0];
  if (
    Math.abs(offset) > atol &&
    allClose(
      e.map((v) => v + offset),
      a,
      rtol * 10,
      atol * 10,
    )
  ) {
    return `off by a constant ${fmt(offset)} (a missing or extra bias term?)`;
  }
  return undefined;
}

/**
 * Fails unless `actual` and `expected` (tensors, numbers or nested arrays) have the same shape
 * and |actual − expected| ≤ atol + rtol·|expected| everywhere. The failure names the first
 * mismatching element and, when it can tell, a likely cause.
 */
export function expectClose(actual, expected, { rtol = 1e-5, atol = 1e-6, what = "" } = {}) {
  const a = valuesOf(actual);
  const e = valuesOf(expected);
  const prefix = what === "" ? "" : `${what}: `;
  const sameShape = a.shape.length === e.shape.length && a.shape.every((d, i) => d === e.shape[i]);
  if (!sameShape) {
    const message = `${prefix}expected shape ${shapeText(e.shape)}, got ${shapeText(a.shape)}`;
    let hint = "wrong shape";
    if (a.flat.length === e.flat.length) {
      if (e.shape.length === 2 && allClose(a.flat, transposed(e.flat, e.shape), rtol, atol)) {
        hint = "looks transposed";
      } else if (allClose(a.flat, e.flat, rtol, atol)) {
        hint = `the right values in the wrong shape: reshape to ${shapeText(e.shape)}`;
      }
    } else if (a.flat.length === 1 || e.flat.length === 1) {
      hint = "wrong shape: a reduction (sum/mean) missing or extra?";
    }
    throw new CheckFailure(message, hint);
  }
  const bad = [];
  a.flat.forEach((v, i) => {
    const ev = e.flat[i];
    if (!(Math.abs(v - ev) <= atol + rtol * Math.abs(ev))) bad.push(i);
  });
  if (bad.length === 0) return;
  const i = bad[0];
  const where = e.shape.length === 0 ? "value" : `element ${shapeText(indexOf(i, e.shape))}`;
  const count = bad.length > 1 ? ` (${bad.length} of ${a.flat.length} elements differ)` : "";
  throw new CheckFailure(
    `${prefix}${where}: expected ${fmt(e.flat[i])}, got ${fmt(a.flat[i])}${count}`,
    diagnose(a.flat, e.flat, e.shape, rtol, atol),
  );
}

/** Fails unless tensor `t` has exactly `shape`. */
export function expectShape(t, shape) {
  const actual = t instanceof Tensor ? shapeOf(t.shape) : valuesOf(t).shape;
  const same = actual.length === shape.length && actual.every((d, i) => d === shape[i]);
  if (!same) {
    const hint =
      actual.length === 2 && shape.length === 2 && actual[0] === shape[1] && actual[1] === shape[0]
        ? "looks transposed"
        : undefined;
    throw new CheckFailure(`expected shape ${shapeText(shape)}, got ${shapeText(actual)}`, hint);
  }
}

// -- the tfjs oracle ------------------------------------------------------------------------------

/**
 * (Check modules only: attendee code gets an error.) tfjs's reference result for op `name` (see the reference ops in docs/scratch-api.md): its output
 * and the gradients of Σ(output · dy) for every input (dy defaults to ones).
 * @param {string} name
 * @param {Tensor[]} inputs
 * @param {{ attrs?: Record<string, unknown>, dy?: Tensor }} [options]
 * @returns {{ output: Tensor, grads: Tensor[] }}
 */
export function oracle(name, inputs, { attrs = {}, dy } = {}) {
  const handles = inputs.map((t) => t.handle);
  const json = JSON.stringify(attrs);
  const output = new Tensor(host.checkKernel(token, "oracleForward", name, handles, json));
  const upstream = dy ?? output.onesLike();
  const gradHandles = /** @type {number[]} */ (
    host.checkKernel(token, "oracleGrads", name, handles, upstream.handle, json)
  );
  const grads = gradHandles.map((h) => new Tensor(h));
  if (dy === undefined) upstream.dispose();
  return { output, grads };
}

/**
 * Checks the gradients autograd computes through `fn(...inputs)` against tfjs's gradients of the
 * reference op `options.oracle`, for a random upstream gradient. `wrt` lists the inputs to compare
 * (default: all). Throws a CheckFailure naming the input and element that differ.
 * @example gradCheck((a, b) => a.matmul(b), [a, b], { oracle: "matmul" })
 * @param {(...inputs: Tensor[]) => Tensor} fn
 * @param {Tensor[]} inputs
 * @param {{ oracle?: string, attrs?: Record<string, unknown>, wrt?: number[], rtol?: number, atol?: number }} [options]
 */
export function gradCheck(fn, inputs, { oracle: name, attrs = {}, wrt, rtol = 1e-3, atol = 1e-4 } = {}) {
  if (typeof name !== "string") throw new TypeError("gradCheck: options.oracle must name a reference op");
  tidy(() => {
    const leaves = inputs.map((x) => {
      const leaf = x.detach();
      leaf.tracksGrad = true; // internal: works even when a task withholds autograd
      return leaf;
    });
    const out = fn(...leaves);
    const dy = randn(out.shape);
    const ref = oracle(name, inputs, { attrs, dy });
    expectClose(out, ref.output, { rtol, atol, what: "output" });
    if (!out.tracksGrad) throw new CheckFailure("the output does not depend on the inputs through autograd");
    runBackward(out, dy);
    for (const i of wrt ?? inputs.map((_, j) => j)) {
      const grad = leaves[i].grad;
      if (grad === null)
        throw new CheckFailure(`input ${i} got no gradient`, "is it used in the computation?");
      expectClose(grad, ref.grads[i], { rtol, atol, what: `gradient of input ${i}` });
    }
    leaves.forEach((leaf) => leaf.dispose());
  });
}

/**
 * Checks hand-computed gradients `grads` (one per input in `wrt`, default all) of op `name`
 * against tfjs's, for upstream gradient `dy` (default ones).
 * @param {string} name
 * @param {Tensor[]} inputs
 * @param {Tensor[]} grads
 * @param {{ attrs?: Record<string, unknown>, dy?: Tensor, wrt?: number[], rtol?: number, atol?: number }} [options]
 */
export function expectGrads(name, inputs, grads, { attrs = {}, dy, wrt, rtol = 1e-3, atol = 1e-4 } = {}) {
  tidy(() => {
    const ref = oracle(name, inputs, { attrs, dy });
    const which = wrt ?? inputs.map((_, j) => j);
    which.forEach((i, k) =>
      expectClose(grads[k], ref.grads[i], { rtol, atol, what: `gradient of input ${i}` }),
    );
  });
}
