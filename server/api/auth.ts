/**
 * Authentication middleware: checks the caller's host key or attendee token against the session
 * named by the route's `:sid` and puts who is calling on the context (`c.var.caller`, or
 * `c.var.host` / `c.var.attendee` when the route needs that role). A failed check is a domain
 * error the app's `onError` answers (401, 403 or 404).
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Principal, SessionAccess } from "../session/access.js";
import { bearer } from "./request.js";

export type HostCaller = Principal & { role: "host" };
export type AttendeeCaller = Principal & { role: "attendee" };

/** Where the credential comes from: the bearer header, or (EventSource cannot set headers) `?token=`. */
type Credential = (c: Context) => string | undefined;
const fromHeader: Credential = (c) => bearer(c);
export const fromQueryOrHeader: Credential = (c) => c.req.query("token") ?? bearer(c);

export interface Authentication {
  /** Host or attendee: `c.var.caller`. */
  caller: ReturnType<typeof callerMiddleware>;
  /** Only the host: `c.var.host`. */
  host: ReturnType<typeof hostMiddleware>;
  /** Only an attendee: `c.var.attendee`. */
  attendee: ReturnType<typeof attendeeMiddleware>;
  /** Only the host, whose key may come as `?token=` (the event stream). */
  hostFromQuery: ReturnType<typeof hostMiddleware>;
}

const sessionId = (c: Context) => c.req.param("sid") ?? "";

function callerMiddleware(access: SessionAccess) {
  return createMiddleware<{ Variables: { caller: Principal } }>(async (c, next) => {
    c.set("caller", await access.authenticate(sessionId(c), fromHeader(c)));
    await next();
  });
}

function hostMiddleware(access: SessionAccess, credential: Credential) {
  return createMiddleware<{ Variables: { host: HostCaller } }>(async (c, next) => {
    c.set("host", await access.requireHost(sessionId(c), credential(c)));
    await next();
  });
}

function attendeeMiddleware(access: SessionAccess) {
  return createMiddleware<{ Variables: { attendee: AttendeeCaller } }>(async (c, next) => {
    c.set("attendee", await access.requireAttendee(sessionId(c), fromHeader(c)));
    await next();
  });
}

export function authentication(access: SessionAccess): Authentication {
  return {
    caller: callerMiddleware(access),
    host: hostMiddleware(access, fromHeader),
    attendee: attendeeMiddleware(access),
    hostFromQuery: hostMiddleware(access, fromQueryOrHeader),
  };
}
