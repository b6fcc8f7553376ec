/**
 * One WebSocket client of one doc: decodes its frames, enforces its role and the per-connection
 * limits, and relays through the room.
 *
 * A frame that cannot be decoded closes this connection only (4400, reason logged); the room and
 * its other peers carry on.
 */
import { isLocked } from "../../contract/session-doc.js";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import type { Limits } from "../config.js";
import type { Logger } from "../logger.js";
import {
  encodeAwareness,
  encodePermissionDenied,
  isEmptyUpdate,
  messageAuth,
  messageAwareness,
  messageQueryAwareness,
  messageSync,
} from "./protocol.js";
import type { RoomRegistry } from "./registry.js";
import type { Peer, Room } from "./room.js";
import type { SharedMessage } from "./shared-frame.js";

/** What the holder of a token may do with a doc (resolved before the upgrade). */
/** Charges one connection's frames to its participant (what `SyncConnection` calls per frame). */
export interface FrameBudget {
  /** Takes one message of `bytes`; false: over budget, the participant's connections are closing. */
  take(bytes: number): boolean;
}

export interface DocAccess {
  doc: string;
  role: "host" | "attendee";
  /** Who holds the credential: "host", or the participant id. */
  principal: string;
  /** False: every update is dropped. */
  writable: boolean;
  /** When set, updates are also dropped while this session doc's meta.locked is true. */
  lockedBy?: string;
}

/** The socket as the connection needs it (a `ws` WebSocket in the server; fakes in tests). */
export interface SyncSocket {
  send(data: Uint8Array): void;
  /** Sends a message framed once for all its receivers (shared-frame.ts); default: `send`. */
  sendShared?(message: SharedMessage): void;
  close(code: number, reason: string): void;
  /** Drops the connection at once, without a closing handshake. */
  terminate(): void;
  /** Bytes queued but not yet handed to the network. */
  readonly bufferedAmount: number;
}

/** WebSocket close codes; 44xx tell the y-websocket client not to reconnect, 45xx to retry later. */
export const CloseCode = {
  rateLimited: 1008,
  /** The participant's messages over all its connections passed its budget (participant-budget.ts). */
  participantRateLimited: 4529,
  tooBig: 1009,
  shuttingDown: 1001,
  tooSlow: 1013,
  malformed: 4400,
  /** The participant now works in another workspace (paired or unpaired); it opens that one. */
  workspaceChanged: 4409,
  docTooLarge: 4413,
} as const;

const messageSyncStep1 = 0;
const messageSyncStep2 = 1;
const messageSyncUpdate = 2;

class MalformedFrame extends Error {}

/**
 * What a doc is waiting for before it can apply the updates it holds back (Yjs keeps structs whose
 * dependencies it lacks, and deletions of items it lacks, pending): the first missing clock of each
 * client, and the pending deletions. Null when it waits for nothing (nearly always).
 */
interface Waiting {
  missing: string;
  deletions: Uint8Array | null;
}

/** What `doc` waits for now (see `Waiting`). */
function waitingFor(doc: Y.Doc): Waiting | null {
  const { pendingStructs, pendingDs } = doc.store;
  if (pendingStructs === null && pendingDs === null) return null;
  const missing = pendingStructs
    ? [...pendingStructs.missing]
        .sort(([a], [b]) => a - b)
        .map(([client, clock]) => `${client}:${clock}`)
        .join(",")
    : "";
  return { missing, deletions: pendingDs };
}

/** Whether the doc waits for something it did not wait for before (`waitingFor` both times). */
function waitsForMore(before: Waiting | null, after: Waiting | null): boolean {
  if (after === null) return false;
  if (before === null || before.missing !== after.missing) return true;
  // Yjs re-encodes the pending deletions on every apply: the same bytes when nothing changed.
  const [a, b] = [before.deletions, after.deletions];
  return a === null || b === null ? a !== b : !Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

export class SyncConnection implements Peer {
  private room: Room | null = null;
  private lockRoom: Room | null = null;
  /** Frames that arrived while the doc was loading (null: none). */
  private queued: Uint8Array[] | null = null;
  private closed = false;
  private tokens: number;
  private byteTokens: number;
  private queuedBytes = 0;
  private lastRefill = performance.now();
  /** Awareness client ids this connection has announced (null until it announces one). */
  private announced: Set<number> | null = null;

  constructor(
    private readonly socket: SyncSocket,
    readonly access: DocAccess,
    private readonly registry: RoomRegistry,
    private readonly limits: Limits,
    private readonly log: Logger,
    /** The participant's budget over all its connections (participant-budget.ts); null: none. */
    private readonly budget: FrameBudget | null = null,
  ) {
    this.tokens = limits.messageBurst;
    this.byteTokens = this.byteBurst();
  }

  /** Whether the room applies doc updates from this connection (its role's access). */
  get writable(): boolean {
    return this.access.writable;
  }

  /** Awareness client ids this connection has announced, removed when it leaves. */
  get awarenessClients(): Set<number> {
    return (this.announced ??= new Set());
  }

  /** Loads the doc (and the session doc that can lock it), then greets the client. */
  async open(): Promise<void> {
    let room: Room | null = null;
    let lockRoom: Room | null = null;
    try {
      room = await this.registry.acquire(this.access.doc);
      lockRoom = this.access.lockedBy ? await this.registry.acquire(this.access.lockedBy) : null;
    } catch (err) {
      if (room) this.registry.release(room);
      this.log.error({ err, doc: this.access.doc }, "could not load doc");
      this.close(1011, "could not load document");
      return;
    }
    if (this.closed) {
      this.registry.release(room);
      if (lockRoom) this.registry.release(lockRoom);
      return;
    }
    this.room = room;
    this.lockRoom = lockRoom;
    room.peers.add(this);
    this.send(room.syncStep1());
    const states = [...room.awareness.getStates().keys()];
    if (states.length > 0) this.send(encodeAwareness(room.awareness, states));
    const queued = this.queued;
    this.queued = null;
    // Already counted against the rate limits when they arrived.
    for (const frame of queued ?? []) if (!this.closed) this.handle(room, frame);
  }

  send(message: Uint8Array): void {
    if (this.mayWrite()) this.socket.send(message);
  }

  /** A message the room sends to many peers: the same frame bytes go to each (shared-frame.ts). */
  sendShared(message: SharedMessage): void {
    if (!this.mayWrite()) return;
    if (this.socket.sendShared) this.socket.sendShared(message);
    else this.socket.send(message.message);
  }

  /** Whether to write to the socket: not when closed, nor when the client stopped reading. */
  private mayWrite(): boolean {
    if (this.closed) return false;
    // A client that stopped reading (a sleeping laptop) must not make the server buffer without
    // bound: drop it; its provider resyncs everything when it reconnects.
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.log.warn(
        { doc: this.access.doc, buffered: this.socket.bufferedAmount },
        "dropping slow sync client",
      );
      this.socket.terminate();
      this.onSocketClosed();
      return false;
    }
    return true;
  }

  /** Handles one binary frame from the client. */
  receive(frame: Uint8Array): void {
    if (this.closed) return;
    if (this.budget && !this.budget.take(frame.byteLength)) {
      // The budget has closed the participant's other connections already; this one too.
      this.close(CloseCode.participantRateLimited, "participant message rate exceeded");
      return;
    }
    if (!this.takeTokens(frame.byteLength)) {
      this.close(CloseCode.rateLimited, "message rate exceeded");
      return;
    }
    if (!this.room) {
      // The doc is still loading; a client that floods meanwhile is told to come back later.
      this.queuedBytes += frame.byteLength;
      const queued = (this.queued ??= []);
      if (queued.length >= 256 || this.queuedBytes > 2 * this.limits.maxFrameBytes) {
        this.close(CloseCode.tooSlow, "too many messages before the document loaded");
        return;
      }
      queued.push(frame);
      return;
    }
    this.handle(this.room, frame);
  }

  private handle(room: Room, frame: Uint8Array): void {
    try {
      this.dispatch(room, frame);
    } catch (err) {
      const reason =
        err instanceof MalformedFrame ? err.message : `undecodable frame (${(err as Error).message})`;
      this.close(CloseCode.malformed, "malformed message", reason);
    }
  }

  /** A text frame: not part of the protocol. */
  receiveText(): void {
    this.close(CloseCode.malformed, "malformed message", "text frame");
  }

  /** Closes the socket (if still open) and leaves the room. */
  close(code: number, reason: string, logReason: string = reason): void {
    if (this.closed) return;
    this.log.warn({ doc: this.access.doc, code, reason: logReason }, "closing sync connection");
    this.socket.close(code, reason);
    this.onSocketClosed();
  }

  /** The socket reported an error (its close follows). */
  onSocketError(err: Error): void {
    this.log.warn({ doc: this.access.doc, err: err.message }, "sync connection error");
  }

  /** The socket has closed: leave the room and drop this client's awareness. */
  onSocketClosed(): void {
    if (this.closed) return;
    this.closed = true;
    const room = this.room;
    if (!room) return;
    room.peers.delete(this);
    const announced = this.announced;
    if (announced && announced.size > 0) {
      for (const id of announced) room.awarenessOwners.delete(id);
      awarenessProtocol.removeAwarenessStates(room.awareness, [...announced], null);
    }
    this.registry.release(room);
    if (this.lockRoom) this.registry.release(this.lockRoom);
    this.room = null;
    this.lockRoom = null;
  }

  private dispatch(room: Room, frame: Uint8Array): void {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case messageSync:
        this.onSync(room, decoder);
        break;
      case messageAwareness:
        this.onAwareness(room, decoding.readVarUint8Array(decoder));
        break;
      case messageAuth:
        // Clients have nothing to say here; tolerate it as y-websocket servers do.
        break;
      case messageQueryAwareness:
        this.send(encodeAwareness(room.awareness, [...room.awareness.getStates().keys()]));
        break;
      default:
        throw new MalformedFrame(`unknown message type ${type}`);
    }
  }

  private onSync(room: Room, decoder: decoding.Decoder): void {
    const kind = decoding.readVarUint(decoder);
    switch (kind) {
      case messageSyncStep1:
        this.send(room.syncStep2(decoding.readVarUint8Array(decoder)));
        return;
      case messageSyncStep2:
      case messageSyncUpdate: {
        const update = decoding.readVarUint8Array(decoder);
        if (isEmptyUpdate(update)) return;
        const refusal = this.refusal(room, update);
        if (refusal) {
          this.send(encodePermissionDenied(refusal));
          return;
        }
        const waitingBefore = waitingFor(room.doc);
        Y.applyUpdate(room.doc, update, this);
        // This update depends on something the server never applied (for example an edit refused
        // while the workspace was locked): ask this client for what the server is missing. Only
        // when this update is what left the doc waiting for more: a doc still waiting for what
        // another client never sent (a forged update's missing dependencies) would have every
        // client asked after every update, each answer (a sync step 2) asked again, at network
        // speed, until the rate limit cut the honest clients off.
        if (waitsForMore(waitingBefore, waitingFor(room.doc))) this.send(room.syncStep1());
        return;
      }
      default:
        throw new MalformedFrame(`unknown sync message ${kind}`);
    }
  }

  /** Why this update may not be applied, or null when it may. */
  private refusal(room: Room, update: Uint8Array): string | null {
    if (!this.access.writable) return "read-only: only the host edits this document";
    if (this.lockRoom && isLocked(this.lockRoom.doc)) return "editing is locked by the host";
    const max = this.limits.maxDocBytes;
    if (room.approxBytes + update.byteLength > max && room.measure() + update.byteLength > max) {
      return `document too large (limit ${max} bytes)`;
    }
    return null;
  }

  /**
   * Applies the awareness entries this connection may speak for: client ids nobody else in the room
   * has announced, or that the same person announced from another connection (a reconnect). So an
   * attendee cannot overwrite or clear someone else's presence.
   */
  private onAwareness(room: Room, update: Uint8Array): void {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const entries: { client: number; clock: number; state: string }[] = [];
    for (let i = 0; i < count; i++) {
      entries.push({
        client: decoding.readVarUint(decoder),
        clock: decoding.readVarUint(decoder),
        state: decoding.readVarString(decoder),
      });
    }
    const allowed = entries.filter((e) => {
      if (e.state.length > this.limits.maxAwarenessStateBytes) return false;
      const owner = room.awarenessOwners.get(e.client);
      return owner === undefined || owner === this || owner.access.principal === this.access.principal;
    });
    if (allowed.length === 0) return;
    for (const e of allowed) {
      const previous = room.awarenessOwners.get(e.client);
      if (previous && previous !== this) previous.awarenessClients.delete(e.client);
      room.awarenessOwners.set(e.client, this);
      this.awarenessClients.add(e.client);
    }
    let accepted = update;
    if (allowed.length < entries.length) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, allowed.length);
      for (const e of allowed) {
        encoding.writeVarUint(encoder, e.client);
        encoding.writeVarUint(encoder, e.clock);
        encoding.writeVarString(encoder, e.state);
      }
      accepted = encoding.toUint8Array(encoder);
    }
    awarenessProtocol.applyAwarenessUpdate(room.awareness, accepted, this);
  }

  /**
   * Two token buckets: messages (`messagesPerSecond` sustained, `messageBurst` at once) and bytes
   * (`bytesPerSecond` sustained; at once, a second's worth or two maximal frames, whichever is more).
   */
  private byteBurst(): number {
    return Math.max(2 * this.limits.maxFrameBytes, this.limits.bytesPerSecond);
  }

  private takeTokens(bytes: number): boolean {
    const now = performance.now();
    const { messagesPerSecond, messageBurst, bytesPerSecond } = this.limits;
    const seconds = (now - this.lastRefill) / 1000;
    this.tokens = Math.min(messageBurst, this.tokens + seconds * messagesPerSecond);
    this.byteTokens = Math.min(this.byteBurst(), this.byteTokens + seconds * bytesPerSecond);
    this.lastRefill = now;
    if (this.tokens < 1 || this.byteTokens < bytes) return false;
    this.tokens -= 1;
    this.byteTokens -= bytes;
    return true;
  }
}
