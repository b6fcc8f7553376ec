// @ts-check
/**
 * The library's only door to the host. Every tensor lives in the host as a tfjs tensor; the guest
 * holds its integer handle and asks for work with `host.k(op, ...args)`.
 *
 * Internal to `scratch`: attendee code imports the public modules instead.
 */

/** @type {import("../../kernel/types.js").GuestHost} */
export const host = globalThis.__host;

if (host === undefined) {
  throw new Error("scratch runs inside the Scratchroom sandbox: globalThis.__host is missing");
}

const stringify = JSON.stringify;

/** The scratch function a kernel serves, for error messages (kernel names are mostly the same). */
export function publicName(op) {
  const names = {
    clip: "clamp",
    fill: "full",
    logSumExp: "logsumexp",
    extremeBackward: "max/min (backward)",
    triangularSolve: "solveTriangular",
  };
  if (names[op] !== undefined) return names[op];
  if (op.endsWith("Number")) return op.slice(0, -"Number".length);
  if (op.endsWith("Backward")) return `${op.slice(0, -"Backward".length)} (backward)`;
  return op;
}

/**
 * Calls a host kernel. A failure is raised again from here, in the guest, so that it
 * names the scratch function (never a tfjs op) and carries the attendee's line in its stack. Run
 * limits (InternalError) pass unchanged.
 */
export function kernelCall(op, args) {
  // Lists (shapes, axes, handle lists) cross as their JSON text, a primitive the host parses and
  // checks as it would the list: reading a guest array costs the host a call back into the guest.
  // (The one "data" argument, the tensor kernel's values, is an ArrayBuffer or stays an array.)
  for (let i = 0; i < args.length; i++) {
    if (Array.isArray(args[i]) && (i > 0 || op !== "tensor")) args[i] = stringify(args[i]);
  }
  try {
    return host.k(op, ...args);
  } catch (error) {
    if (!(error instanceof Error) || error.name === "InternalError") throw error;
    const name = publicName(op);
    let detail = error.message;
    for (const prefix of [`${op}: `, `${name}: `])
      if (detail.startsWith(prefix)) detail = detail.slice(prefix.length);
    // The sandbox bridge raises its refusals as plain Errors named "RangeError" (or "TypeError").
    const errorName = error.name;
    const is = (/** @type {ErrorConstructor} */ Kind) => error instanceof Kind || errorName === Kind.name;
    const Kind = is(RangeError) ? RangeError : is(TypeError) ? TypeError : Error;
    throw new Kind(`${name}: ${detail}`);
  }
}
