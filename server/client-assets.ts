/**
 * Serves the built browser client (dist/client): hashed assets with a long cache, index.html for
 * the app's routes (`/`, `/host/*`, `/join/*`, `/room/*`, `/summary/*`) with a Content-Security-Policy.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ServeStaticOptions, serveStatic } from "@hono/node-server/serve-static";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { crossOriginIsolation } from "./isolation.js";

/**
 * 'wasm-unsafe-eval' lets QuickJS and the tfjs wasm backend compile; blob: workers are how Vite
 * bundles the sandbox worker in some builds; ws:/wss: reach /sync.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self' ws: wss:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

const APP_ROUTES = ["/", "/host/*", "/join/*", "/room/*", "/summary/*"];

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Scratchroom</title></head>
<body><h1>Scratchroom</h1><p>The browser client is not built. Run <code>npm run build</code> and reload.</p></body></html>`;

function html(c: Context, body: string): Response {
  c.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  c.header("Cache-Control", "no-cache");
  return c.html(body);
}

/** serveStatic created on first use once the build exists, so a later `npm run build` is picked up. */
function staticFiles(clientDir: string, options: Omit<ServeStaticOptions, "root">): MiddlewareHandler {
  let handler: MiddlewareHandler | null = null;
  return (c, next) => {
    if (!handler) {
      if (!existsSync(clientDir)) return next();
      handler = serveStatic({ ...options, root: clientDir });
    }
    return handler(c, next);
  };
}

export function clientRoutes(app: Hono, clientDir: string): void {
  const index = join(clientDir, "index.html");
  // Pages, assets and wasm files: the routes registered below, not the API.
  app.use("*", crossOriginIsolation);

  app.use(
    "/assets/*",
    staticFiles(clientDir, {
      onFound: (_path, c) => {
        // Vite puts a content hash in every asset name, so an asset never changes.
        c.header("Cache-Control", "public, max-age=31536000, immutable");
      },
    }),
  );

  for (const route of APP_ROUTES) {
    app.get(route, (c) => html(c, existsSync(index) ? readFileSync(index, "utf8") : NOT_BUILT));
  }

  // Other files at the top of the build (favicon, wasm copied as is, …).
  app.use(
    "*",
    staticFiles(clientDir, {
      onFound: (path, c) => {
        if (path.endsWith(".html")) c.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      },
    }),
  );
}
