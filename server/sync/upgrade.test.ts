import { connect as tcpConnect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { DEFAULT_LIMITS } from "../config.js";
import {
  createSession,
  type HostedSession,
  joinSession,
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

describe("a sync upgrade's place in the participant's cap", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ limits: { ...DEFAULT_LIMITS, connectionsPerParticipant: 1 } });
  });
  afterAll(() => stopTestServer(server));

  /** Opens `url` and waits for the 101; the socket is returned open. */
  const open = (url: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once("open", () => resolve(ws));
      ws.once("unexpected-response", (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
      ws.on("error", () => {});
    });

  /** Opens `url` once the participant's place is free (tried for up to 2 s). */
  const openWhenFree = async (url: string) => {
    for (let i = 0; ; i++) {
      const ws = await open(url).catch((err: Error) => {
        if (i >= 80 || !err.message.includes("429")) throw err;
        return null;
      });
      if (ws) return ws;
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  /** A raw upgrade request with a valid token that `ws` refuses (400: a malformed Sec-WebSocket-Key). */
  const badHandshake = (path: string) =>
    new Promise<string>((resolve) => {
      const { port } = new URL(server.url);
      const socket = tcpConnect(Number(port), "127.0.0.1", () => {
        socket.write(
          `GET ${path} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: not-a-key\r\n\r\n",
        );
      });
      let answer = "";
      socket.on("data", (d: Buffer) => (answer += d.toString()));
      socket.on("close", () => resolve(answer));
      socket.on("error", () => {});
    });

  it("is given back when the socket closes, and when the handshake fails after the token check", async () => {
    const session = await createSession(server);
    const ada = await joinSession(server, session.joinCode, "Ada");
    const doc = `workspace/${ada.sessionId}/${ada.workspaceId}`;
    const url = `${server.wsUrl}/${doc}?token=${encodeURIComponent(ada.token)}`;

    const first = await open(url);
    await expect(open(url)).rejects.toThrow("refused: 429");
    const closed = new Promise((r) => first.once("close", r));
    first.close();
    await closed;
    // The server sees the close a moment later; then the place is free again.
    const second = await openWhenFree(url);
    const secondClosed = new Promise((r) => second.once("close", r));
    second.close();
    await secondClosed;

    // Admitted (the token is good), then refused by `ws`: the admission must not stay taken.
    const answer = await badHandshake(`/sync/${doc}?token=${encodeURIComponent(ada.token)}`);
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    (await openWhenFree(url)).close();
  });
});
