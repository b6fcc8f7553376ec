/**
 * Tensor lifetimes. Host tensors are not garbage-collected with the guest objects that hold their
 * handles, so `scratch` frees them explicitly: `tidy(fn)` frees every tensor created while `fn`
 * runs except those it returns (or marked with `keep()`); `dispose(x)` frees at once. Anything
 * left is freed when the run ends.
 */

const scopes = [];
let live = 0;

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
  const scope = new Set();
  scopes.push(scope);
  let result;
  try {
    result = fn();
  } catch (error) {
    scopes.pop();
    for (const t of scope) if (!t._kept) t.dispose();
    throw error;
  }
  scopes.pop();
  if (result !== null && typeof result === "object" && typeof result.then === "function") {
    throw new Error("tidy(fn): fn must be synchronous (it returned a promise)");
  }
  const kept = tensorsIn(result);
  for (const t of scope) if (!kept.has(t) && !t._kept) t.dispose();
  const parent = scopes[scopes.length - 1];
  if (parent !== undefined) for (const t of kept) if (scope.has(t)) parent.add(t);
  return result;
}

/** Frees the tensors in `value` (a tensor, or arrays/objects of tensors) now. */
export function dispose(value) {
  for (const t of tensorsIn(value)) t.dispose();
}
