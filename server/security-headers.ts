/**
 * The security headers every response carries (pages, assets, API JSON, errors, SSE, /healthz,
 * /metrics, and the plain HTTP refusals of WebSocket upgrades in sync/upgrade.ts): one home, so a
 * header added here reaches every kind of response. The pages' Content-Security-Policy stays with
 * the pages (client-assets.ts).
 *
 * - `X-Content-Type-Options: nosniff`: a browser never runs a JSON body, a run output or an uploaded
 *   file as script or style because it looks like one.
 * - `Referrer-Policy: no-referrer`: the app never reads `Referer`, and some of its paths are
 *   capabilities (`/join/<CODE>` admits anyone to a session, `/summary/<sid>` names it); with
 *   `no-referrer` a page never sends its address along with a request, to this server's logs or a
 *   link's target. The host key and the summary token live in the URL fragment, which no policy sends.
 */
import type { MiddlewareHandler } from "hono";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

/**
 * Sets `SECURITY_HEADERS` on whatever response the rest of the app produced, including the
 * `onError` and `notFound` answers (Hono hands them back through this middleware).
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  };
}
