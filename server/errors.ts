/**
 * Domain errors: what the services throw when a request cannot be served (an unknown session, a bad
 * token, a full queue). They name the kind of failure, not a transport: the HTTP API maps each kind
 * to a status in one place (api/errors.ts, used by the app's `onError`), and the sync upgrade
 * answers with the same mapping.
 */

export type FailureKind =
  /** The request does not make sense for the session (an unknown task, a malformed plan). */
  | "invalid"
  /** No credential, or one that does not check out. */
  | "unauthenticated"
  /** A valid credential that may not do this. */
  | "forbidden"
  | "not_found"
  /** The state does not allow it (already paired, no more hints). */
  | "conflict"
  /** Too much at once: try again after `retryAfterSeconds`. */
  | "busy";

export class DomainError extends Error {
  constructor(
    readonly kind: FailureKind,
    /** A stable machine-readable code, e.g. "unknown_session". */
    readonly code: string,
    message: string,
    /** For "busy": when trying again may help. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const invalid = (code: string, message: string) => new DomainError("invalid", code, message);
export const unauthenticated = (message: string) =>
  new DomainError("unauthenticated", "unauthorized", message);
export const forbidden = (message: string) => new DomainError("forbidden", "forbidden", message);
export const notFound = (code: string, message: string) => new DomainError("not_found", code, message);
export const conflict = (code: string, message: string) => new DomainError("conflict", code, message);
export const busy = (code: string, message: string, retryAfterSeconds: number) =>
  new DomainError("busy", code, message, retryAfterSeconds);
