import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { CONTENT_SECURITY_POLICY } from "./client-assets.js";
import { SECURITY_HEADERS } from "./security-headers.js";
import {
  createSession,
  type HostedSession,
  startTestServer,
  stopTestServer,
  tempDataDir,
  type TestServer,
} from "../support/server.js";

/** The headers of a refused WebSocket upgrade (a plain HTTP answer written on the socket). */
function refusedUpgrade(url: string): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on("unexpected-response", (_req, res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
    });
    ws.on("open", () => {
      ws.close();
      reject(new Error("the upgrade was accepted"));
    });
    ws.on("error", () => {});
  });
}

function expectSecurityHeaders(kind: string, get: (name: string) => unknown): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    expect(get(name.toLowerCase()), `${kind}: ${name}`).toBe(value);
  }
}

describe("security headers on every kind of response", () => {
  let server: TestServer;
  let host: HostedSession;
  beforeAll(async () => {
    // A small built client, so pages, hashed assets and top-level files are served as in production.
    const clientDir = join(tempDataDir(), "client");
    mkdirSync(join(clientDir, "assets"), { recursive: true });
    writeFileSync(join(clientDir, "index.html"), "<!doctype html><title>Scratchroom</title>");
    writeFileSync(join(clientDir, "assets", "app-1234.js"), "console.log(1)");
    writeFileSync(join(clientDir, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
    server = await startTestServer({ clientDir });
    host = await createSession(server);
  });
  afterAll(() => stopTestServer(server));

  it("sets nosniff and the referrer policy on pages, assets, API answers, errors, health and metrics", async () => {
    const kinds: [string, string, RequestInit, number][] = [
      ["page", "/", {}, 200],
      ["app route page", "/join/ABCDEF", {}, 200],
      ["hashed asset", "/assets/app-1234.js", {}, 200],
      ["top-level file", "/favicon.svg", {}, 200],
      ["health", "/healthz", {}, 200],
      ["metrics", "/metrics", {}, 200],
      [
        "API JSON",
        `/api/sessions/${host.sessionId}/progress`,
        { headers: { authorization: `Bearer ${host.hostKey}` } },
        200,
      ],
      [
        "API created",
        "/api/sessions",
        { method: "POST", headers: { "content-type": "application/json" }, body: '{"pack":"demo"}' },
        201,
      ],
      ["API error", `/api/sessions/${host.sessionId}/progress`, {}, 401],
      [
        "malformed body",
        "/api/join",
        { method: "POST", headers: { "content-type": "application/json" }, body: "{" },
        400,
      ],
      ["API 404", "/api/no-such-route", {}, 404],
      ["404", "/no-such-file.txt", {}, 404],
      ["sync without upgrade", `/sync/session/${host.sessionId}`, {}, 426],
    ];
    for (const [kind, path, init, status] of kinds) {
      const res = await fetch(server.url + path, init);
      await res.arrayBuffer();
      expect(res.status, kind).toBe(status);
      expectSecurityHeaders(kind, (name) => res.headers.get(name));
    }
    // The pages keep their Content-Security-Policy.
    const page = await fetch(server.url + "/host/x");
    await page.arrayBuffer();
    expect(page.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
  });

  it("sets them on the session event stream", async () => {
    const abort = new AbortController();
    const res = await fetch(
      `${server.url}/api/sessions/${host.sessionId}/events?token=${encodeURIComponent(host.hostKey)}`,
      { signal: abort.signal },
    );
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expectSecurityHeaders("SSE", (name) => res.headers.get(name));
    abort.abort();
  });

  it("sets them on refused WebSocket upgrades", async () => {
    const ws = server.url.replace(/^http/, "ws");
    const refusals = [
      ["no token", `${ws}/sync/session/${host.sessionId}`, 401],
      ["unknown doc", `${ws}/sync/nonsense?token=x`, 404],
      ["not /sync", `${ws}/api/sessions`, 404],
    ] as const;
    for (const [kind, url, status] of refusals) {
      const res = await refusedUpgrade(url);
      expect(res.status, kind).toBe(status);
      expectSecurityHeaders(kind, (name) => res.headers[name]);
    }
  });
});
