/**
 * Flood fairness on loopback (issue 14, finding 5): one attendee token on many connections, each
 * under the per-connection limits, is cut off as a whole while another session still syncs; the
 * connection caps per participant and per client address refuse the next upgrade.
 */
import * as encoding from "lib0/encoding";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import { DEFAULT_LIMITS } from "../config.js";
import {
  connect,
  createSession,
  joinSession,
  RawClient,
  startTestServer,
  stopTestServer,
  synced,
  type TestServer,
  until,
} from "../../support/server.js";
import { CloseCode } from "./connection.js";

/** A real y-websocket update frame: one character typed into `doc`. */
function typedFrame(doc: Y.Doc): Uint8Array {
  let update: Uint8Array | null = null;
  const capture = (u: Uint8Array) => (update = u);
  doc.once("update", capture);
  doc.getText("flood").insert(0, "x");
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0); // messageSync
  syncProtocol.writeUpdate(encoder, update!);
  return encoding.toUint8Array(encoder);
}

/** An upgrade attempt's status and JSON error code (101 and null when accepted; the socket is kept). */
function tryUpgrade(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; code: string | null; ws: WebSocket | null }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => {
        const parsed = JSON.parse(body) as { error: { code: string } };
        resolve({ status: res.statusCode ?? 0, code: parsed.error.code, ws: null });
      });
    });
    ws.on("open", () => resolve({ status: 101, code: null, ws }));
    ws.on("error", () => {});
  });
}

const docUrl = (server: TestServer, doc: string, token: string) =>
  `${server.wsUrl}/${doc}?token=${encodeURIComponent(token)}`;

describe("per-participant message budget", () => {
  let server: TestServer;
  const providers: WebsocketProvider[] = [];
  beforeAll(async () => {
    // A participant budget of 100 messages/s (burst 500) keeps the flood small enough for a loaded
    // test machine to process at the rate it is sent; the mechanism is the same at the defaults.
    server = await startTestServer({
      limits: {
        ...DEFAULT_LIMITS,
        connectionsPerParticipant: 16,
        participantMessagesPerSecond: 100,
        participantMessageBurst: 500,
      },
    });
  });
  afterEach(() => {
    for (const p of providers.splice(0)) p.destroy();
  });
  afterAll(() => stopTestServer(server));

  it("closes every connection of a participant flooding over 16 sockets, and another session still syncs", async () => {
    const flooding = await createSession(server);
    const eve = await joinSession(server, flooding.joinCode, "Eve");
    const eveDoc = `workspace/${eve.sessionId}/${eve.workspaceId}`;
    const other = await createSession(server);
    const bob = await joinSession(server, other.joinCode, "Bob");
    const bobDoc = `workspace/${bob.sessionId}/${bob.workspaceId}`;
    const bobTyping = connect(server, bobDoc, bob.token);
    const hostWatching = connect(server, bobDoc, other.hostKey);
    providers.push(bobTyping, hostWatching);
    await Promise.all([synced(bobTyping), synced(hostWatching)]);

    // Each socket sends 40 real updates a second: far under the per-connection 200/s, so only the
    // budget summed over the participant's connections can notice the 640/s in total. The pump
    // catches up on what a busy event loop delayed, so the rate holds on a loaded machine too.
    const flood = await Promise.all(
      Array.from({ length: 16 }, () => RawClient.open(server, eveDoc, eve.token)),
    );
    const docs = flood.map(() => new Y.Doc());
    const started = performance.now();
    let sent = 0;
    const pump = setInterval(() => {
      const due = Math.floor(((performance.now() - started) / 1000) * 40);
      flood.forEach((client, i) => {
        if (client.closeCode !== null) return;
        for (let k = sent; k < due; k++) client.send(typedFrame(docs[i]!));
      });
      sent = due;
    }, 20);
    try {
      // Bob's edit in the other session reaches the host while the flood runs.
      bobTyping.doc.getMap<Y.Text>("files").get("gradient-descent")!.insert(0, "// bob was here\n");
      const hostText = () => hostWatching.doc.getMap<Y.Text>("files").get("gradient-descent")!.toString();
      await until(() => hostText().startsWith("// bob was here"), 15_000, "bob's edit to sync");

      await until(() => flood.every((c) => c.closeCode !== null), 15_000, "every flooding socket closed");
    } finally {
      clearInterval(pump);
    }
    expect(new Set(flood.map((c) => c.closeCode))).toEqual(new Set([CloseCode.participantRateLimited]));
    expect(flood[0]!.closeReason).toMatch(/participant message rate exceeded/);

    // Reconnecting during the cooldown is refused with 429 and Retry-After.
    const again = await tryUpgrade(docUrl(server, eveDoc, eve.token));
    expect(again.status).toBe(429);
    expect(again.code).toBe("rate_limited");

    // Bob was never touched: still connected, still syncing.
    expect(bobTyping.wsconnected).toBe(true);
    bobTyping.doc.getMap<Y.Text>("files").get("gradient-descent")!.insert(0, "// and again\n");
    await until(
      () =>
        hostWatching.doc
          .getMap<Y.Text>("files")
          .get("gradient-descent")!
          .toString()
          .startsWith("// and again"),
      10_000,
      "bob's second edit",
    );
  });
});

describe("an honest client at the default limits", () => {
  let server: TestServer;
  const providers: WebsocketProvider[] = [];
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const p of providers.splice(0)) p.destroy();
    await stopTestServer(server);
  });

  it("lets an honest client's typing and a large paste through on several connections", async () => {
    const session = await createSession(server);
    const ada = await joinSession(server, session.joinCode, "Ada");
    const doc = `workspace/${ada.sessionId}/${ada.workspaceId}`;
    const tabs = [0, 1, 2].map(() => connect(server, doc, ada.token));
    providers.push(...tabs);
    await Promise.all(tabs.map((p) => synced(p)));
    let closes = 0;
    for (const tab of tabs) tab.on("connection-close", () => closes++);
    const text = (p: WebsocketProvider) => p.doc.getMap<Y.Text>("files").get("gradient-descent")!;
    // A burst: 300 keystrokes from each tab as fast as the event loop allows, then a 1 MB paste.
    for (let i = 0; i < 300; i++) for (const tab of tabs) text(tab).insert(0, "k");
    text(tabs[0]!).insert(0, "p".repeat(1024 * 1024));
    await until(
      () =>
        tabs.every(
          (t) => text(t).length === text(tabs[0]!).length && text(t).toString().split("k").length > 900,
        ),
      15_000,
      "the tabs to converge",
    );
    // Never cut off on the way: no connection closed, no reconnect needed.
    expect(closes).toBe(0);
  });
});

describe("connection caps", () => {
  const sockets: WebSocket[] = [];
  afterEach(() => {
    for (const ws of sockets.splice(0)) ws.terminate();
  });

  const accept = async (url: string, headers?: Record<string, string>) => {
    const res = await tryUpgrade(url, headers);
    if (res.ws) sockets.push(res.ws);
    return res;
  };

  it("refuses a participant's connection past its cap, and frees the place when one closes", async () => {
    const server = await startTestServer({
      limits: { ...DEFAULT_LIMITS, connectionsPerParticipant: 3, connectionsPerAddress: 5 },
    });
    try {
      const session = await createSession(server);
      const ada = await joinSession(server, session.joinCode, "Ada");
      const bo = await joinSession(server, session.joinCode, "Bo");
      const adaDoc = docUrl(server, `workspace/${ada.sessionId}/${ada.workspaceId}`, ada.token);
      const adaSession = docUrl(server, `session/${ada.sessionId}`, ada.token);
      // The cap counts the participant's connections to every doc.
      for (const url of [adaDoc, adaDoc, adaSession]) expect((await accept(url)).status).toBe(101);
      const fourth = await accept(adaDoc);
      expect(fourth).toMatchObject({ status: 429, code: "too_many_connections" });

      sockets[0]!.close();
      await until(() => sockets[0]!.readyState === WebSocket.CLOSED);
      let retried = await accept(adaDoc);
      for (let i = 0; i < 20 && retried.status !== 101; i++) {
        await new Promise((r) => setTimeout(r, 50));
        retried = await accept(adaDoc);
      }
      expect(retried.status).toBe(101);

      // The address cap (5) counts every participant from 127.0.0.1: Bo gets two, then none.
      const boDoc = docUrl(server, `workspace/${bo.sessionId}/${bo.workspaceId}`, bo.token);
      expect((await accept(boDoc)).status).toBe(101);
      expect((await accept(boDoc)).status).toBe(101);
      expect(await accept(boDoc)).toMatchObject({ status: 429, code: "too_many_connections" });
      // Without TRUST_PROXY a claimed X-Forwarded-For changes nothing.
      expect(await accept(boDoc, { "X-Forwarded-For": "203.0.113.9" })).toMatchObject({ status: 429 });
    } finally {
      for (const ws of sockets.splice(0)) ws.terminate();
      await stopTestServer(server);
    }
  });

  it("drops a socket that stopped answering pings, giving its place back", async () => {
    const server = await startTestServer({
      limits: { ...DEFAULT_LIMITS, connectionsPerParticipant: 1, pingIntervalMs: 100 },
    });
    try {
      const session = await createSession(server);
      const ada = await joinSession(server, session.joinCode, "Ada");
      const url = docUrl(server, `workspace/${ada.sessionId}/${ada.workspaceId}`, ada.token);
      // A peer gone without a goodbye: the socket stays open but never answers a ping.
      const vanished = new WebSocket(url, { autoPong: false });
      await new Promise((resolve) => vanished.once("open", resolve));
      sockets.push(vanished);
      expect(await accept(url)).toMatchObject({ status: 429, code: "too_many_connections" });
      await until(() => vanished.readyState === WebSocket.CLOSED, 5000, "the silent socket dropped");
      let back = await accept(url);
      for (let i = 0; i < 20 && back.status !== 101; i++) {
        await new Promise((r) => setTimeout(r, 50));
        back = await accept(url);
      }
      expect(back.status).toBe(101);
      // A socket that answers pings is kept across many intervals.
      await new Promise((r) => setTimeout(r, 500));
      expect(back.ws!.readyState).toBe(WebSocket.OPEN);
    } finally {
      for (const ws of sockets.splice(0)) ws.terminate();
      await stopTestServer(server);
    }
  });

  it("with TRUST_PROXY counts the last X-Forwarded-For address", async () => {
    const server = await startTestServer({
      trustProxy: true,
      limits: { ...DEFAULT_LIMITS, connectionsPerAddress: 1 },
    });
    try {
      const session = await createSession(server);
      const ada = await joinSession(server, session.joinCode, "Ada");
      const url = docUrl(server, `workspace/${ada.sessionId}/${ada.workspaceId}`, ada.token);
      expect((await accept(url, { "X-Forwarded-For": "198.51.100.1, 10.0.0.1" })).status).toBe(101);
      // Same proxy-seen address, whatever the client claims in front of it.
      expect(await accept(url, { "X-Forwarded-For": "198.51.100.2, 10.0.0.1" })).toMatchObject({
        status: 429,
        code: "too_many_connections",
      });
      expect((await accept(url, { "X-Forwarded-For": "10.0.0.2" })).status).toBe(101);
    } finally {
      for (const ws of sockets.splice(0)) ws.terminate();
      await stopTestServer(server);
    }
  });
});
