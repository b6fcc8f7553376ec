/**
 * Cross-origin isolation headers on the client's pages and files (not on the API): without them
 * the room's tfjs runs unthreaded and Stop has to kill the worker.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterAll, describe, expect, it } from "vitest";
import { clientRoutes } from "./client-assets.js";
import { CROSS_ORIGIN_ISOLATION_HEADERS } from "./isolation.js";

const dir = mkdtempSync(join(tmpdir(), "scratchroom-isolation-"));
mkdirSync(join(dir, "assets"));
writeFileSync(join(dir, "index.html"), "<!doctype html><title>room</title>");
writeFileSync(join(dir, "assets", "tfjs-backend-wasm-simd-abc.wasm"), Buffer.from([0, 97, 115, 109]));
writeFileSync(join(dir, "assets", "browser-worker-abc.js"), "postMessage(1);");

const app = new Hono();
app.get("/api/ping", (c) => c.json({ ok: true }));
clientRoutes(app, dir);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("cross-origin isolation", () => {
  for (const path of [
    "/",
    "/room/abc",
    "/join/ABC123",
    "/assets/tfjs-backend-wasm-simd-abc.wasm",
    "/assets/browser-worker-abc.js",
  ]) {
    it(`isolates ${path}`, async () => {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION_HEADERS)) {
        expect(res.headers.get(name), name).toBe(value);
      }
    });
  }

  it("keeps the page's Content-Security-Policy beside them", async () => {
    const res = await app.request("/room/abc");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(res.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
  });

  it("leaves the API alone", async () => {
    const res = await app.request("/api/ping");
    expect(res.headers.get("cross-origin-embedder-policy")).toBeNull();
  });
});
