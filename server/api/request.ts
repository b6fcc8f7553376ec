/**
 * Reading a request: the JSON body against a zod schema, and the bearer credential.
 */
import type { Context } from "hono";
import type { z } from "zod";
import { badRequest, describeZodError } from "./errors.js";

/** Parses the JSON body against `schema`; 400 for malformed JSON or a body that does not fit. */
export async function readBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw badRequest("invalid_json", "request body is not valid JSON");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw badRequest("invalid_body", describeZodError(parsed.error));
  return parsed.data;
}

/** The bearer credential: `Authorization: Bearer <hostKey or token>`. */
export function bearer(c: Context): string | undefined {
  const header = c.req.header("authorization");
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}
