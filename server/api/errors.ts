/**
 * Errors as the HTTP API answers them: `{"error":{"code","message"}}` with a status. Domain errors
 * (../errors.ts) are mapped to a status here, in one place; `ApiError` is for failures of HTTP
 * itself (a malformed body, too large a body, too many joins from one address).
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { DomainError, type FailureKind } from "../errors.js";

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string) => new ApiError(400, code, message);

const STATUS: Record<FailureKind, ContentfulStatusCode> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  busy: 429,
};

/** The HTTP answer for an error a handler threw; null for one that is not ours (a bug: 500). */
export function httpError(err: unknown): ApiError | null {
  if (err instanceof ApiError) return err;
  if (!(err instanceof DomainError)) return null;
  const headers: Record<string, string> =
    err.retryAfterSeconds === undefined ? {} : { "Retry-After": String(err.retryAfterSeconds) };
  return new ApiError(STATUS[err.kind], err.code, err.message, headers);
}

/** One readable line from a zod error: "name: Too small…; joinCode: Required". */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}
