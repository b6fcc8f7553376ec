/**
 * The baseline sync servers bench/sync.ts compares Scratchroom with, bare and doing the same work:
 *
 *   baseline     @y/websocket-server 0.1.5 `setupWSConnection`: in memory, no auth.
 *   hocuspocus   @hocuspocus/server 4.x `new Server()`, no extensions: in memory, no auth hook.
 *   yws-equal    the same @y/websocket-server with its persistence (y-leveldb, bound through
 *                `setPersistence` exactly as 0.1.1 did for YPERSISTENCE: every update stored as it
 *                arrives) and a token check on upgrade (401 without a valid token).
 *   hocuspocus-equal  Hocuspocus with @hocuspocus/extension-sqlite (a file database; the whole doc
 *                state stored, debounced, as the extension does) and an `onAuthenticate` hook.
 *   floor        not a sync server: a relay that keeps no doc (below, `startFloor`), the least
 *                work a server could do per keystroke. Only for the hot room, whose clients all
 *                join an empty doc before anyone types: what its latency costs apart from any
 *                server's work (the kernel's sends, the load generator's reads, the machine).
 *
 * The token check is ours (server/auth/token.ts): HMAC-SHA256 over a base64url JSON payload
 * {sid, pid, exp}, compared in constant time, the claims parsed and the expiry checked; a doc is
 * open to a token of its session ("workspace/<sid>/…", "session/<sid>").
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import * as Y from "yjs";
import { type WebSocket, WebSocketServer } from "ws";
import * as syncProtocol from "y-protocols/sync";
import { TokenSigner } from "../server/auth/token.js";
import { encodeFullStateStep2, messageSync } from "../server/sync/protocol.js";
import { HocuspocusServer, LeveldbPersistence, SQLite, ywsUtils } from "./baselines/index.js";
import type { ServerInfo } from "./sync-client.js";

export type BaselineKind = "baseline" | "hocuspocus" | "yws-equal" | "hocuspocus-equal" | "floor";

/** A running baseline: where clients connect, and the docs and tokens the generator may use. */
export interface Baseline {
  info: ServerInfo;
  /** Doc and token of workspace i (the token is "none" for a bare baseline). */
  roomDoc(i: number): { docName: string; token: string };
  session: { docName: string; token: string };
  close(): Promise<void>;
}

/** The session every baseline doc belongs to (the token's `sid`). */
const SESSION = "bench";
const TOKEN_LIFETIME_MS = 24 * 3600 * 1000;

/** Signs and checks tokens for the equal-work baselines, with a fresh secret per server. */
export class BaselineTokens {
  private readonly signer = new TokenSigner(randomBytes(32));

  sign(participant: string): string {
    return this.signer.sign({ sid: SESSION, pid: participant, exp: Date.now() + TOKEN_LIFETIME_MS });
  }

  /** True when `token` verifies and belongs to the session `docName` is in. */
  allows(token: string | null | undefined, docName: string): boolean {
    if (!token) return false;
    const check = this.signer.verify(token);
    return check.ok && docName.split("/")[1] === check.claims.sid;
  }
}

/** The doc name the stock server would use: the path after our /sync/ prefix. */
const docNameOf = (req: IncomingMessage) => (req.url ?? "").split("?")[0]!.replace(/^\/sync\//, "");

async function startYws(dataDir: string, equal: boolean): Promise<Baseline> {
  const utils = ywsUtils;
  const tokens = equal ? new BaselineTokens() : null;
  let ldb: LeveldbPersistence | null = null;
  if (equal) {
    // What @y/websocket-server 0.1.1 did when YPERSISTENCE was set (0.1.5 leaves it to the caller).
    const store = new LeveldbPersistence(join(dataDir, "leveldb"));
    ldb = store;
    utils.setPersistence({
      provider: store,
      bindState: async (docName: string, ydoc: Y.Doc) => {
        const persisted = await store.getYDoc(docName);
        const newUpdates = Y.encodeStateAsUpdate(ydoc);
        void store.storeUpdate(docName, newUpdates);
        Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(persisted));
        ydoc.on("update", (update: Uint8Array) => {
          void store.storeUpdate(docName, update);
        });
      },
      writeState: async () => {},
    });
  }
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer((_req, res) => res.end("okay"));
  wss.on("connection", (ws, req: IncomingMessage) => {
    utils.setupWSConnection(ws, req, { docName: docNameOf(req) });
  });
  server.on("upgrade", (req, socket, head) => {
    if (tokens) {
      const token = new URL(req.url ?? "/", "http://localhost").searchParams.get("token");
      if (!tokens.allows(token, docNameOf(req))) {
        socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        return;
      }
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const token = (who: string) => tokens?.sign(who) ?? "none";
  return {
    info: {
      url: `ws://127.0.0.1:${port}/sync`,
      docName: `workspace/${SESSION}/w`,
      token: token("p"),
      framing: "y-websocket",
    },
    roomDoc: (i) => ({ docName: `workspace/${SESSION}/room${i}`, token: token(`p${i}`) }),
    session: { docName: `session/${SESSION}`, token: token("host") },
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      await new Promise((r) => server.close(r));
      await ldb?.destroy();
    },
  };
}

async function startHocuspocus(dataDir: string, equal: boolean): Promise<Baseline> {
  const tokens = equal ? new BaselineTokens() : null;
  const extensions = [];
  if (equal) {
    extensions.push(new SQLite({ database: join(dataDir, "hocuspocus.sqlite") }));
  }
  const server = new HocuspocusServer({
    port: 0,
    address: "127.0.0.1",
    quiet: true,
    stopOnSignals: false,
    extensions,
    ...(tokens
      ? {
          onAuthenticate: async ({ token, documentName }: { token: string; documentName: string }) => {
            if (!tokens.allows(token, documentName)) throw new Error("not authorized");
          },
        }
      : {}),
  });
  await server.listen();
  const token = (who: string) => tokens?.sign(who) ?? "none";
  return {
    info: {
      url: `ws://127.0.0.1:${server.address.port}`,
      docName: `workspace/${SESSION}/w`,
      token: token("p"),
      framing: "hocuspocus",
    },
    roomDoc: (i) => ({ docName: `workspace/${SESSION}/room${i}`, token: token(`p${i}`) }),
    session: { docName: `session/${SESSION}`, token: token("host") },
    close: () => server.destroy(),
  };
}

/**
 * The floor: a WebSocket relay with y-websocket's framing and no Yjs doc. It answers each client's
 * sync step 1 with an empty doc's step 2, and writes every other frame a client sends (its doc
 * updates, its awareness), byte for byte, to the other connections of its doc (`ws.send` of the
 * received Buffer to each: no parse, no merge, no storage, no token). A late joiner would get
 * nothing, so it serves only a room whose clients are all in before the first keystroke (the hot
 * room).
 */
async function startFloor(): Promise<Baseline> {
  const emptyStep2 = encodeFullStateStep2(Y.encodeStateAsUpdate(new Y.Doc()));
  const docs = new Map<string, Set<WebSocket>>();
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer((_req, res) => res.end("okay"));
  wss.on("connection", (ws: WebSocket, req: IncomingMessage) => {
    const name = docNameOf(req);
    const peers = docs.get(name) ?? new Set<WebSocket>();
    docs.set(name, peers);
    peers.add(ws);
    ws.on("close", () => peers.delete(ws));
    ws.on("message", (data: Buffer) => {
      // A sync step 1: answered, not relayed.
      if (data[0] === messageSync && data[1] === syncProtocol.messageYjsSyncStep1) {
        ws.send(emptyStep2);
        return;
      }
      for (const peer of peers) if (peer !== ws) peer.send(data);
    });
  });
  server.on("upgrade", (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    info: {
      url: `ws://127.0.0.1:${port}`,
      docName: `workspace/${SESSION}/w`,
      token: "none",
      framing: "y-websocket",
    },
    roomDoc: (i) => ({ docName: `workspace/${SESSION}/room${i}`, token: "none" }),
    session: { docName: `session/${SESSION}`, token: "none" },
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Starts one baseline server on 127.0.0.1 (a free port), keeping its data under `dataDir`. */
export function startBaseline(kind: BaselineKind, dataDir: string): Promise<Baseline> {
  switch (kind) {
    case "baseline":
      return startYws(dataDir, false);
    case "yws-equal":
      return startYws(dataDir, true);
    case "hocuspocus":
      return startHocuspocus(dataDir, false);
    case "hocuspocus-equal":
      return startHocuspocus(dataDir, true);
    case "floor":
      return startFloor();
  }
}
