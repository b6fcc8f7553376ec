import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  createSession,
  type HostedSession,
  startTestServer,
  stopTestServer,
  type TestServer,
} from "../../support/server.js";

/** Status and body of a refused upgrade, or 101 for an accepted one. */
function tryUpgrade(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on("open", () => {
      resolve({ status: 101, body: "" });
      ws.close();
    });
    ws.on("error", () => {});
  });
}

describe("sync upgrades (served on the ws server, outside Hono)", () => {
  let server: TestServer;
  let host: HostedSession;
  let ws: string;
  beforeAll(async () => {
    server = await startTestServer();
    host = await createSession(server);
    ws = server.url.replace(/^http/, "ws");
  });
  afterAll(() => stopTestServer(server));

  it("accepts a valid token and refuses the rest with the API's JSON error", async () => {
    const doc = `${ws}/sync/session/${host.sessionId}`;
    expect((await tryUpgrade(`${doc}?token=${encodeURIComponent(host.hostKey)}`)).status).toBe(101);
    const noToken = await tryUpgrade(doc);
    expect(noToken.status).toBe(401);
    expect(JSON.parse(noToken.body)).toMatchObject({ error: { code: "unauthorized" } });
    const unknown = await tryUpgrade(`${ws}/sync/nonsense?token=x`);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: { code: "unknown_doc" } });
  });

  it("refuses upgrades outside /sync/ with 404, and a plain GET on /sync/ with 426", async () => {
    const other = await tryUpgrade(`${ws}/api/sessions`);
    expect(other.status).toBe(404);
    expect(JSON.parse(other.body)).toMatchObject({ error: { code: "not_found" } });
    const plain = await server.api(`/sync/session/${host.sessionId}`);
    expect(plain.status).toBe(426);
    expect(plain.body).toMatchObject({ error: { code: "upgrade_required" } });
  });
});
