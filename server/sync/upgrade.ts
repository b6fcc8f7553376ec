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
import { type RawData, WebSocket, WebSocketServer } from "ws";
import { ApiError, httpError } from "../api/errors.js";
import type { Limits } from "../config.js";
import type { Logger } from "../logger.js";
import { SECURITY_HEADERS } from "../security-headers.js";
import { clientAddress } from "../client-address.js";
import { SyncConnection, type DocAccess, type SyncSocket } from "./connection.js";
import { Heartbeat, type PingedSocket } from "./heartbeat.js";
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
 * A sync socket: `ws`'s WebSocket (the server makes these through the `WebSocket` option) carrying
 * what the server keeps per socket as its own fields, and handing its events to them directly
 * instead of through listeners: no listener table entries per socket (an emitter's fourth event
 * name alone costs ~100 bytes), no adapter object, no heartbeat set entry, no symbol property
 * added after construction. Listeners added with `on` (shutdown waits for "close") still run.
 */
export class SyncWebSocket extends WebSocket implements SyncSocket, PingedSocket {
  /** The connection this socket serves (set as the upgrade completes). */
  connection: SyncConnection | null = null;
  /** Its place in the participant's and the address's caps, given back when the socket closes. */
  admission: Admission | null = null;
  /** The server's set of open sockets, which this one leaves when it closes. */
  served: Set<SyncWebSocket> | null = null;
  answeredPing = true;
  /** Built on the first shared message (an idle connection never gets one). */
  private writeShared: ((message: SharedMessage) => void) | null = null;

  sendShared(message: SharedMessage): void {
    (this.writeShared ??= sharedFrameWriter(this))(message);
  }

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    const connection = this.connection;
    if (connection !== null) {
      switch (event) {
        case "message":
          if (args[1] === true) connection.receive(bytes(args[0] as RawData));
          else connection.receiveText();
          break;
        case "pong":
          this.answeredPing = true;
          break;
        case "close":
          this.served?.delete(this);
          connection.onSocketClosed();
          this.admission?.release();
          break;
        case "error":
          connection.onSocketError(args[0] as Error);
          // Handled: an emitter throws an "error" nobody listens to.
          if (this.listenerCount("error") === 0) return true;
          break;
      }
    }
    return super.emit(event, ...args);
  }
}

/** An upgrading socket's admission, given back if the socket closes before it is a WebSocket. */
function releaseOnClose(socket: Duplex, admission: Admission): () => void {
  const release = () => admission.release();
  socket.on("close", release);
  // Once the socket is a WebSocket the admission goes with it (SyncWebSocket's "close").
  return () => socket.off("close", release);
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
 * Serves sync upgrades on `server`; every other upgrade request is refused with 404. The open
 * sockets are kept here (`ws` tracks none: no per-socket close listener for that).
 */
export function serveSyncUpgrades(server: Server, deps: SyncUpgradeDeps): SyncSockets {
  const { authorize, rooms, limits, log } = deps;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxFrameBytes,
    clientTracking: false,
    WebSocket: SyncWebSocket,
  });
  const budgets = new ParticipantBudgets(limits);
  const sockets = new Set<SyncWebSocket>();
  const heartbeat = new Heartbeat(() => sockets, limits.pingIntervalMs);
  server.once("close", () => heartbeat.stop());

  const attach = (ws: SyncWebSocket, socket: Duplex, access: DocAccess, admission: Admission) => {
    const connection = new SyncConnection(ws, withRoomNames(access, rooms), rooms, limits, log, admission);
    admission.attach(connection);
    ws.admission = admission;
    ws.served = sockets;
    ws.connection = connection;
    sockets.add(ws);
    // `ws` listens for the socket's errors from here on.
    socket.off("error", ignore);
    return connection.open();
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
    const upgraded = releaseOnClose(socket, admission);
    // Docs in memory: the 101 and the sync step 1 (sent a few microtasks later, once `open` has the
    // room) leave in one write. A doc still to load is not waited for: its client gets the 101 now.
    const inMemory =
      rooms.loaded(access.doc) !== undefined &&
      (access.lockedBy === undefined || rooms.loaded(access.lockedBy) !== undefined);
    if (inMemory) socket.cork();
    wss.handleUpgrade(req, socket, head, (ws) => {
      upgraded();
      const opened = attach(ws, socket, access, admission);
      if (inMemory) void opened.finally(() => socket.uncork());
    });
  };

  server.on(
    "upgrade",
    (req: IncomingMessage, socket: Duplex, head: Buffer) => void upgrade(req, socket, head),
  );
  return { open: () => sockets };
}
