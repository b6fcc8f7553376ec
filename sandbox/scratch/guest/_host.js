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
