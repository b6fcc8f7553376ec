/**
 * The load generator's client for bench/sync.ts: one WebSocket speaking the y-protocols sync and
 * awareness messages, framed either as y-websocket does (doc in the URL) or as Hocuspocus does
 * (every frame prefixed with the document name, an auth message first). The same client, doing
 * the same work, runs against every server, so the servers are compared and not the clients.
 *
 * A reader holds no Y.Doc (so the generator can afford hundreds): it scans the raw update bytes for
 * the markers writers type ("#writer:seq#"). A writer holds a Y.Doc, applies what it receives and
 * sends its own edits.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import { LeanWebSocket } from "./lean-websocket.js";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";

export interface ServerInfo {
  url: string;
  docName: string;
  token: string;
  framing: "y-websocket" | "hocuspocus";
}

const messageSync = 0;
const messageAwareness = 1;
const messageAuth = 2;
/** The auth message's subtype for a refused token (Hocuspocus). */
const authPermissionDenied = 1;
/** Hocuspocus answers a client's sync step 1 with this type (same payload as a sync message). */
const messageSyncReply = 4;
const syncStep1 = 0;
const syncStep2 = 1;

/** What a client needs of its socket: `ws`'s WebSocket or the readers' LeanWebSocket. */
export interface ClientSocket {
  readonly readyState: number;
  send(data: Uint8Array): void;
  terminate(): void;
  on(event: "message", listener: (data: Buffer) => void): unknown;
  on(event: "close", listener: (code: number) => void): unknown;
  on(event: "error", listener: (err: NodeJS.ErrnoException) => void): unknown;
  once(event: "open", listener: () => void): unknown;
}

/**
 * Which socket a client reads with: "ws" (the `ws` package, as every client did before) or "lean"
 * (bench/lean-websocket.ts: frames read off the socket's chunks, for the hot room's many readers).
 */
export type Transport = "ws" | "lean";

export class BenchClient {
  readonly ws: ClientSocket;
  /** Set once the server's sync step 2 (the doc state) has arrived. */
  syncedAt: number | null = null;
  readonly openedAt = performance.now();
  frames = 0;
  /** Why the socket failed or closed before syncing (an error code or close code), if it did. */
  failure: string | null = null;
  private readonly prefix: Uint8Array;
  private readonly ready: Promise<void>;

  constructor(
    private readonly info: ServerInfo,
    /** Called with each received update's bytes (sync step 2 or update) and the arrival time. */
    private readonly onUpdate: (update: Uint8Array, at: number) => void = () => {},
    readonly doc: Y.Doc | null = null,
    transport: Transport = "ws",
  ) {
    const hocuspocus = info.framing === "hocuspocus";
    const url = hocuspocus ? info.url : `${info.url}/${info.docName}?token=${encodeURIComponent(info.token)}`;
    const e = encoding.createEncoder();
    if (hocuspocus) encoding.writeVarString(e, info.docName);
    this.prefix = encoding.toUint8Array(e);
    if (transport === "lean") this.ws = new LeanWebSocket(url);
    else {
      const ws = new WebSocket(url);
      ws.binaryType = "nodebuffer";
      this.ws = ws;
    }
    this.ws.on("error", (err: NodeJS.ErrnoException) => {
      this.failure ??= err.code ?? err.message;
    });
    this.ws.on("close", (code: number) => {
      if (this.syncedAt === null) this.failure ??= `closed ${code}`;
    });
    this.ws.on("message", (data: Buffer) =>
      this.receive(new Uint8Array(data.buffer, data.byteOffset, data.length)),
    );
    // Never settles for a socket that fails to open (its `failure` says why).
    this.ready = new Promise((resolve) => this.ws.once("open", () => resolve()));
    void this.ready.then(() => {
      if (hocuspocus) {
        this.send((m) => {
          encoding.writeVarUint(m, messageAuth);
          encoding.writeVarUint(m, 0);
          encoding.writeVarString(m, info.token);
        });
      }
      this.send((m) => {
        encoding.writeVarUint(m, messageSync);
        if (doc) syncProtocol.writeSyncStep1(m, doc);
        else {
          encoding.writeVarUint(m, syncStep1);
          encoding.writeVarUint8Array(m, Uint8Array.of(0));
        }
      });
      if (doc) {
        doc.on("update", (update: Uint8Array, origin: unknown) => {
          if (origin === this) return;
          this.send((m) => {
            encoding.writeVarUint(m, messageSync);
            syncProtocol.writeUpdate(m, update);
          });
        });
      }
    });
  }

  /** Sends one frame, with the framing's prefix. */
  send(write: (e: encoding.Encoder) => void): void {
    if (this.ws.readyState !== WebSocket.OPEN) return; // 1 for both sockets
    const e = encoding.createEncoder();
    encoding.writeUint8Array(e, this.prefix);
    write(e);
    this.ws.send(encoding.toUint8Array(e));
  }

  /** Sends an awareness update for one client id (the state as JSON). */
  sendAwareness(clientId: number, clock: number, state: unknown): void {
    this.send((m) => {
      encoding.writeVarUint(m, messageAwareness);
      const inner = encoding.createEncoder();
      encoding.writeVarUint(inner, 1);
      encoding.writeVarUint(inner, clientId);
      encoding.writeVarUint(inner, clock);
      encoding.writeVarString(inner, JSON.stringify(state));
      encoding.writeVarUint8Array(m, encoding.toUint8Array(inner));
    });
  }

  close(): void {
    this.ws.terminate();
  }

  private receive(frame: Uint8Array): void {
    const at = performance.now();
    this.frames++;
    const d = decoding.createDecoder(frame);
    if (this.info.framing === "hocuspocus") decoding.readVarString(d);
    const type = decoding.readVarUint(d);
    if (type === messageAuth && decoding.readVarUint(d) === authPermissionDenied) {
      // Hocuspocus refusing the token (onAuthenticate threw): the client will never sync.
      this.failure ??= `permission denied: ${decoding.readVarString(d)}`;
      return;
    }
    if (type !== messageSync && type !== messageSyncReply) return;
    const kind = decoding.readVarUint(d);
    const payload = decoding.readVarUint8Array(d);
    if (kind === syncStep1) {
      // The server asks for what we have: answer (empty for a reader).
      this.send((m) => {
        encoding.writeVarUint(m, messageSync);
        encoding.writeVarUint(m, syncStep2);
        encoding.writeVarUint8Array(
          m,
          this.doc ? Y.encodeStateAsUpdate(this.doc, payload) : Uint8Array.of(0, 0),
        );
      });
      return;
    }
    if (kind === syncStep2 && this.syncedAt === null) this.syncedAt = at;
    if (this.doc) Y.applyUpdate(this.doc, payload, this);
    this.onUpdate(payload, at);
  }
}
