/**
 * WebSocket upgrades of `GET /sync/<docName>?token=…`, handled on the `ws` server directly.
 *
 * Why not through Hono's node-server adapter: it builds a fetch `Request` (URL, headers, an
 * `AbortSignal`) for every upgrade and a `MessageEvent` for every frame, and its per-connection
 * closure keeps the Hono context, the request and the `IncomingMessage` alive for the socket's
 * lifetime; with a class connecting that was about 0.15 ms of CPU and several KB of heap per
 * connection (docs/benchmarks.md, "Where we lose").
 *
 * Access is decided before the upgrade, then the connection caps per participant and per client
 * address (participant-budget.ts); a refused request gets its 401/403/404/429 with the API's JSON
 * error body as a plain HTTP response and never becomes a WebSocket.
 */
import type { IncomingMessage, Server } from "node:http";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { RawData, WebSocket, WebSocketServer } from "ws";
import { ApiError, httpError } from "../api/errors.js";
import type { Limits } from "../config.js";
import type { Logger } from "../logger.js";
import { SECURITY_HEADERS } from "../security-headers.js";
import { clientAddress } from "../client-address.js";
import { SyncConnection, type DocAccess, type SyncSocket } from "./connection.js";
import { Heartbeat } from "./heartbeat.js";
import { type SharedMessage, sharedFrameWriter } from "./shared-frame.js";
import { type Admission, ParticipantBudgets } from "./participant-budget.js";
import type { RoomRegistry } from "./registry.js";

/**
 * Decides what the bearer of `token` may do with the named doc, before the upgrade (as Hocuspocus's
 * `onAuthenticate`); throws a domain error (unknown doc, bad token, not theirs) to refuse it.
 */
export type Authorize = (docName: string, token: string | undefined) => Promise<DocAccess>;

export interface SyncUpgradeDeps {
  authorize: Authorize;
  rooms: RoomRegistry;
  limits: Limits;
  /** Take the client address from X-Forwarded-For (TRUST_PROXY). */
  trustProxy: boolean;
  log: Logger;
}

const PREFIX = "/sync/";

/** Answers an upgrade request with a plain HTTP error and closes the socket. */
function refuse(socket: Duplex, error: ApiError): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: { code: error.code, message: error.message } });
  const headers = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ""}`,
    "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Connection: close",
    ...Object.entries({ ...SECURITY_HEADERS, ...error.headers }).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${headers.join("\r\n")}\r\n\r\n${body}`);
}

/** The doc name from the request path, percent-decoded as Hono's router would. */
function docNameOf(pathname: string): string {
  const raw = pathname.slice(PREFIX.length);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function bytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * A `ws` socket as its connection sees it: one small object per socket, its methods on the
 * prototype (an object literal of arrow functions cost five closures per connection).
 */
class WsSyncSocket implements SyncSocket {
  /** Built on the first shared message (an idle connection never gets one). */
  private writeShared: ((message: SharedMessage) => void) | null = null;

  constructor(private readonly ws: WebSocket) {}

  send(data: Uint8Array): void {
    this.ws.send(data);
  }

  sendShared(message: SharedMessage): void {
    (this.writeShared ??= sharedFrameWriter(this.ws))(message);
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  terminate(): void {
    this.ws.terminate();
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }
}

/** A socket's connection, for the listeners below (shared by every socket: no closure per socket). */
const CONNECTION = Symbol("sync connection");
type Attached = WebSocket & { [CONNECTION]: SyncConnection };
const connectionOf = (ws: WebSocket) => (ws as Attached)[CONNECTION];

function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  if (isBinary) connectionOf(this).receive(bytes(data));
  else connectionOf(this).receiveText();
}

function onError(this: WebSocket, err: Error): void {
  connectionOf(this).onSocketError(err);
}

/** An upgrading socket's admission, given back when the socket closes (see below). */
const ADMISSION = Symbol("sync admission");
type Admitted = Duplex & { [ADMISSION]: Admission };

function releaseAdmission(this: Duplex): void {
  (this as Admitted)[ADMISSION].release();
}

function ignore(): void {}

/**
 * `access` naming its docs with the strings of the rooms in memory rather than this request's
 * copies: a connection keeps its access for its lifetime, and thousands share a few docs.
 */
function withRoomNames(access: DocAccess, rooms: RoomRegistry): DocAccess {
  const doc = rooms.loaded(access.doc)?.name;
  const lockedBy = access.lockedBy === undefined ? undefined : rooms.loaded(access.lockedBy)?.name;
  if (doc === undefined && lockedBy === undefined) return access;
  return { ...access, doc: doc ?? access.doc, ...(lockedBy === undefined ? {} : { lockedBy }) };
}

/** The sync sockets being served (what the server closes when it shuts down). */
export interface SyncSockets {
  open(): Iterable<WebSocket>;
}

/**
 * Serves sync upgrades on `server`; every other upgrade request is refused with 404. `wss` should
 * not track clients (`clientTracking: false`): the open sockets are kept here, without the
 * per-socket close listener `ws` would add for that.
 */
export function serveSyncUpgrades(server: Server, wss: WebSocketServer, deps: SyncUpgradeDeps): SyncSockets {
  const { authorize, rooms, limits, log } = deps;
  const budgets = new ParticipantBudgets(limits);
  const sockets = new Set<WebSocket>();
  const heartbeat = new Heartbeat(() => sockets, limits.pingIntervalMs);
  server.once("close", () => heartbeat.stop());
  // One close listener for every socket of this server.
  function onClose(this: WebSocket): void {
    sockets.delete(this);
    connectionOf(this).onSocketClosed();
  }

  const attach = (ws: WebSocket, access: DocAccess, admission: Admission, corked: Duplex | null) => {
    const connection = new SyncConnection(
      new WsSyncSocket(ws),
      withRoomNames(access, rooms),
      rooms,
      limits,
      log,
      admission,
    );
    admission.attach(connection);
    sockets.add(ws);
    heartbeat.watch(ws);
    (ws as Attached)[CONNECTION] = connection;
    ws.on("message", onMessage);
    ws.on("close", onClose);
    ws.on("error", onError);
    const opened = connection.open();
    if (corked) void opened.finally(() => corked.uncork());
  };

  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client that goes away during the token check must not crash the server.
    socket.on("error", ignore);
    const url = new URL(req.url ?? "/", "http://localhost");
    if (!url.pathname.startsWith(PREFIX) || req.headers.upgrade?.toLowerCase() !== "websocket") {
      refuse(socket, new ApiError(404, "not_found", "not found"));
      return;
    }
    let access;
    try {
      access = await authorize(docNameOf(url.pathname), url.searchParams.get("token") ?? undefined);
    } catch (err) {
      const answer = httpError(err);
      if (answer) refuse(socket, answer);
      else {
        log.error({ err, path: url.pathname }, "sync upgrade failed");
        refuse(socket, new ApiError(500, "internal", "internal server error"));
      }
      return;
    }
    if (socket.destroyed) return;
    let admission: Admission;
    try {
      // The peer address costs a system call: asked only when connections are capped per address.
      const address =
        limits.connectionsPerAddress > 0
          ? clientAddress(req.headers["x-forwarded-for"], req.socket.remoteAddress, deps.trustProxy)
          : null;
      admission = budgets.admit(access, address);
    } catch (err) {
      const answer = httpError(err);
      if (answer) refuse(socket, answer);
      else {
        log.error({ err, path: url.pathname }, "sync admission failed");
        refuse(socket, new ApiError(500, "internal", "internal server error"));
      }
      return;
    }
    // Whatever becomes of the upgrade, its place is given back when the socket goes.
    (socket as Admitted)[ADMISSION] = admission;
    socket.on("close", releaseAdmission);
    // Docs in memory: the 101 and the sync step 1 (sent a few microtasks later, once `open` has the
    // room) leave in one write. A doc still to load is not waited for: its client gets the 101 now.
    const inMemory =
      rooms.loaded(access.doc) !== undefined &&
      (access.lockedBy === undefined || rooms.loaded(access.lockedBy) !== undefined);
    if (inMemory) socket.cork();
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, access, admission, inMemory ? socket : null));
  };

  server.on(
    "upgrade",
    (req: IncomingMessage, socket: Duplex, head: Buffer) => void upgrade(req, socket, head),
  );
  return { open: () => sockets };
}
