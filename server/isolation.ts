/**
 * Cross-origin isolation of the app's pages and assets: with these two headers `crossOriginIsolated`
 * is true in the room, so the tfjs wasm backend runs its threaded SIMD build and the runner's Stop
 * sets a shared-memory flag instead of killing the worker (design.md §6). Every subresource of the
 * app is same-origin (fonts, KaTeX, workers, wasm), so `require-corp` blocks nothing of ours.
 */
import type { MiddlewareHandler } from "hono";

export const CROSS_ORIGIN_ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

/** Adds the isolation headers to every response of the routes it is used on. */
export const crossOriginIsolation: MiddlewareHandler = async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION_HEADERS)) c.res.headers.set(name, value);
};
