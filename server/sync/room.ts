/**
 * A Room is one live Yjs doc in memory with its awareness and the peers connected to it.
 *
 * It fans out every doc update to the other peers (the sender already has it) and every awareness
 * change to all peers, the sender included, as y-websocket clients expect; each such message is
 * encoded and framed once, and the same bytes go to every peer (shared-frame.ts). Both are coalesced
 * per event-loop turn, and sent at the end of it (the check phase, after the turn's input was read),
 * or, when the loop's next iteration brings more input, at the end of that (`flushRooms`; in a
 * room of `KEEP_POLLING_MIN_PEERS` or more, as long as input keeps coming, at most
 * `MAX_FAN_OUT_WAIT_MS` after the first change):
 *
 * - the doc updates applied in one turn go out as one update (`Y.mergeUpdates`), so five writers
 *   whose keystrokes arrive together cost each reader one frame, not five. A lone writer of the
 *   turn is not sent its own updates; when several wrote, each gets the same merged frame, its own
 *   included (`fanOutUpdates`);
 * - the awareness clients changed since the last broadcast go out in one frame (their current
 *   states, null for removed ones), so 50 cursors moving at once cost each peer one frame per turn
 *   instead of 50.
 *
 * Two kinds of room send each doc update as it is applied instead, to every peer but its writer, its
 * frames handed to the kernel at once (`sendNow`), so that it need not wait for the rest of the
 * turn's input (other rooms' frames read and applied) and the other rooms' fan-outs:
 *
 * - a room of at most `SEND_AT_ONCE_MAX_PEERS` peers (a classroom workspace: the typist, the
 *   partner, the host reading along; a seminar's shared doc): merging saves its readers a few
 *   frames, and the wait for more input costs the turn's first keystroke more than that;
 * - a room whose update came from its only peer that may write (a session doc: the host writes, the
 *   attendees read; `isSoleWriter`): there is no other writer's frame to merge it with.
 *
 * Their awareness is coalesced as above.
 *
 * Persisting is not deferred: every update is handed to the update log as it is applied.
 */
import { Awareness } from "y-protocols/awareness";
import * as Y from "yjs";
import {
  encodeAwareness,
  encodeFullStateStep2,
  encodeSyncStep1,
  encodeSyncStep2,
  isEmptyStateVector,
  updateMessageLength,
  writeUpdateMessage,
} from "./protocol.js";
import { holdingSharedFrames, SharedMessage } from "./shared-frame.js";

/** A connected client as the room sees it. */
export interface Peer {
  send(message: Uint8Array): void;
  /** Sends a message the room fans out, framed once for every peer; default: `send`. */
  sendShared?(message: SharedMessage): void;
  /** False: the room applies no doc update from this peer (a read-only connection); default: true. */
  readonly writable?: boolean;
}

/** A peer that announces awareness states (a sync connection). */
export interface AwarenessOwner extends Peer {
  readonly access: { principal: string };
  readonly awarenessClients: Set<number>;
}

/** Origin of updates the room applies while loading from storage: not new, so not persisted. */
export const LOAD_ORIGIN = Symbol("load");

/**
 * Origin of updates relayed from another instance (server/relay): fanned out to this room's
 * peers, but not persisted here, since the instance whose client made them stores them.
 */
export const RELAY_ORIGIN = Symbol("relay");

/** The origin of a turn's updates when several peers (or a peer and the server) made them. */
const SEVERAL_ORIGINS = Symbol("several");

/** Hands a fanned-out message to one peer: its shared frame when the peer takes one. */
function send(peer: Peer, message: SharedMessage): void {
  if (peer.sendShared) peer.sendShared(message);
  else peer.send(message.message);
}

/** The updates as one (`Y.mergeUpdates` of several; a single one as it is). */
function merged(updates: Uint8Array[]): Uint8Array {
  return updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
}

/** A sync update message carrying `update`, written straight into its shared frame. */
function updateMessage(update: Uint8Array): SharedMessage {
  return SharedMessage.written(updateMessageLength(update), (target, offset) =>
    writeUpdateMessage(target, offset, update),
  );
}

/** Rooms with updates or awareness changes to fan out at the end of this turn. */
const roomsToFlush = new Set<Room>();
let flushScheduled: NodeJS.Immediate | null = null;
/**
 * Whether the pending fan-out has had its one more poll of the loop, and the changes since the last
 * check phase to rooms that already had changes pending and have at least
 * `KEEP_POLLING_MIN_PEERS` peers (what waiting longer would merge, where that pays).
 */
let polledOnce = false;
let repeatsSinceCheck = 0;
/** When the first change of the pending fan-out came. */
let oldestPendingAt = 0;

/** Longest a change waits for more input before its fan-out (see `flushRooms`). */
export const MAX_FAN_OUT_WAIT_MS = 1;

/**
 * Peers a room needs for its fan-out to keep polling beyond the one more poll: a fan-out costs
 * about 10 µs of write system call per peer, so merging one more update into it saves about 1 ms
 * (`MAX_FAN_OUT_WAIT_MS`) at 100 peers; in a smaller room waiting costs the turn's first
 * keystroke more than the fan-out it saves (measured: 50 clients × 5 writers, docs/benchmarks.md).
 */
export const KEEP_POLLING_MIN_PEERS = 100;

/**
 * Peers up to which a room sends each update as it is applied (see `sendNow`). Measured with 50
 * clients of which 5 type 10 keystrokes/s each, two runs of 5 rounds: sending at once p50 0.8–0.9
 * ms against 1.0 and p99 4.0 against 4.6 (pooled) with the turn's merged fan-out after one more
 * poll (docs/benchmarks.md, 2026-12-06); at 200 clients the merged fan-out is the faster
 * (`KEEP_POLLING_MIN_PEERS`). It was 3 until then.
 */
export const SEND_AT_ONCE_MAX_PEERS = 64;

/**
 * The end-of-turn fan-out of every room that changed: one `setImmediate` for them all. It first
 * lets the loop poll once more (without blocking: an immediate is pending), so that frames that
 * arrived while this turn's were handled (writers typing at once, each frame a few hundred µs of
 * work apart) join the same merged fan-out instead of costing every peer a write system call of
 * their own; and polls again as long as each poll brings more changes to a room already waiting
 * with at least `KEEP_POLLING_MIN_PEERS` peers, up to `MAX_FAN_OUT_WAIT_MS` after the first
 * change. With no new input the poll returns at once, so a lone keystroke waits one loop iteration
 * (microseconds); changes to other rooms are merely sent along, they do not prolong the wait.
 */
function flushRooms(): void {
  flushScheduled = null;
  const more = !polledOnce || repeatsSinceCheck > 0;
  repeatsSinceCheck = 0;
  if (more && performance.now() - oldestPendingAt < MAX_FAN_OUT_WAIT_MS) {
    polledOnce = true;
    flushScheduled = setImmediate(flushRooms);
    return;
  }
  polledOnce = false;
  // A room flushed here leaves the set; one that changes again meanwhile is visited again.
  holdingSharedFrames(() => {
    for (const room of roomsToFlush) room.flush();
  });
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new Awareness(this.doc);
  readonly peers = new Set<Peer>();
  /** Which connection announced each awareness client id (only it may change that state). */
  readonly awarenessOwners = new Map<number, AwarenessOwner>();
  /** Connections and server tasks holding this room in memory. */
  refs = 0;
  /** Upper bound of the doc's encoded size; recomputed exactly when it nears the limit. */
  approxBytes = 0;
  /**
   * Doc updates applied since the last fan-out, and their origin (their sender, or not a peer), or
   * `SEVERAL_ORIGINS` when they have more than one.
   */
  private pendingUpdates: Uint8Array[] = [];
  private pendingOrigin: unknown = null;
  /** Awareness clients changed since the last broadcast. */
  private readonly awarenessChanged = new Set<number>();
  /**
   * The whole doc encoded as one update, and the sync step 2 frame carrying it (the answer to an
   * empty state vector), until the next update: a burst of fresh joiners, compaction of the doc's
   * log and the size check share one encoding. Likewise the sync step 1 every connecting client
   * gets (the doc's state vector).
   */
  private encodedState: Uint8Array | null = null;
  private fullStateStep2: Uint8Array | null = null;
  private step1: Uint8Array | null = null;

  /**
   * @param onUpdate called for every new update (not those loaded from storage or relayed from
   *   another instance), to persist it.
   */
  constructor(
    readonly name: string,
    onUpdate: (update: Uint8Array, origin: unknown) => void,
  ) {
    // The server holds no awareness state of its own.
    this.awareness.setLocalState(null);
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      this.encodedState = null;
      this.fullStateStep2 = null;
      this.step1 = null;
      if (origin === LOAD_ORIGIN) return;
      this.approxBytes += update.byteLength;
      if (origin !== RELAY_ORIGIN) onUpdate(update, origin);
      if (this.peers.size === 0) return;
      if (
        this.pendingUpdates.length === 0 &&
        (this.peers.size <= SEND_AT_ONCE_MAX_PEERS || this.isSoleWriter(origin))
      ) {
        this.sendNow(update, origin);
        return;
      }
      if (this.pendingUpdates.length === 0) this.pendingOrigin = origin;
      else if (origin !== this.pendingOrigin) this.pendingOrigin = SEVERAL_ORIGINS;
      this.pendingUpdates.push(update);
      this.schedule();
    });
    this.awareness.on("update", ({ added, updated, removed }: AwarenessChange) => {
      if (this.peers.size === 0) return;
      for (const client of added) this.awarenessChanged.add(client);
      for (const client of updated) this.awarenessChanged.add(client);
      for (const client of removed) this.awarenessChanged.add(client);
      this.schedule();
    });
  }

  /**
   * Sends what changed since the last fan-out: the doc updates (before the awareness, whose cursors
   * may point into them), then the awareness; then hands the frames to the sockets. Runs at the end
   * of every turn that changed something; callable earlier (tests, the fan-out CPU bench).
   */
  flush(): void {
    roomsToFlush.delete(this);
    holdingSharedFrames(() => {
      this.fanOutUpdates();
      this.broadcastAwareness();
    });
  }

  /**
   * Sends one update to every peer but its sender at once, its frames handed to the kernel now
   * (a room of at most `SEND_AT_ONCE_MAX_PEERS` peers, or one whose only writer made it).
   */
  private sendNow(update: Uint8Array, origin: unknown): void {
    const message = updateMessage(update);
    holdingSharedFrames(() => {
      for (const peer of this.peers) if (peer !== origin) send(peer, message);
    });
  }

  /**
   * Whether `origin` is a peer of this room and no other peer may write: waiting for more input
   * could merge only that writer's next frame into the fan-out. Walks the peers until the first
   * other writable one (the first or second peer of a room where everyone writes).
   */
  private isSoleWriter(origin: unknown): boolean {
    if (!this.peers.has(origin as Peer)) return false;
    for (const peer of this.peers) if (peer !== origin && peer.writable !== false) return false;
    return true;
  }

  /** Has this room fanned out at the end of the turn (`flushRooms`). */
  private schedule(): void {
    if (!roomsToFlush.has(this)) roomsToFlush.add(this);
    else if (this.peers.size >= KEEP_POLLING_MIN_PEERS) repeatsSinceCheck++;
    if (flushScheduled) return;
    oldestPendingAt = performance.now();
    polledOnce = false;
    flushScheduled = setImmediate(flushRooms);
  }

  /**
   * The turn's updates merged into one message, framed once, for every peer. When they all came
   * from one peer, that peer is not sent them (it has them); when several peers wrote, the writers
   * get the same frame too, their own edits included (Yjs skips what a doc already has), as
   * y-websocket's and Hocuspocus's servers send them: one merge and one shared frame per turn,
   * where leaving each writer's own out took a merge of the others' per writer (`Y.mergeUpdates`
   * of four updates for each of five writers; the fan-out's JavaScript took half as long per
   * fan-out without them in a 200-client room, docs/benchmarks.md).
   */
  private fanOutUpdates(): void {
    const updates = this.pendingUpdates;
    if (updates.length === 0) return;
    const origin = this.pendingOrigin;
    this.pendingUpdates = [];
    this.pendingOrigin = null;
    const message = updateMessage(merged(updates));
    const skip = origin === SEVERAL_ORIGINS ? null : origin;
    for (const peer of this.peers) if (peer !== skip) send(peer, message);
  }

  /** Sends every awareness client changed since the last broadcast to every peer, in one frame. */
  private broadcastAwareness(): void {
    if (this.awarenessChanged.size === 0) return;
    // Encoded now: the latest state of each (null once removed), with its latest clock.
    const message = new SharedMessage(encodeAwareness(this.awareness, [...this.awarenessChanged]));
    this.awarenessChanged.clear();
    for (const peer of this.peers) send(peer, message);
  }

  /** Sync step 1 (the doc's state vector), encoded once per doc version: joiners share it. */
  syncStep1(): Uint8Array {
    this.step1 ??= encodeSyncStep1(this.doc);
    return this.step1;
  }

  /** Sync step 2 for a client's state vector; the whole-doc answer is encoded once per doc version. */
  syncStep2(stateVector: Uint8Array): Uint8Array {
    if (!isEmptyStateVector(stateVector)) return encodeSyncStep2(this.doc, stateVector);
    this.fullStateStep2 ??= encodeFullStateStep2(this.fullState());
    return this.fullStateStep2;
  }

  /** The whole doc as one update (`Y.encodeStateAsUpdate`), encoded once per doc version. */
  fullState(): Uint8Array {
    this.encodedState ??= Y.encodeStateAsUpdate(this.doc);
    return this.encodedState;
  }

  /** Applies stored updates without persisting them again. */
  load(updates: Uint8Array[]): void {
    if (updates.length === 0) return;
    const merged = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
    Y.applyUpdate(this.doc, merged, LOAD_ORIGIN);
    this.approxBytes = merged.byteLength;
  }

  /** The doc's exact encoded size (encodes the whole doc unless this version already was). */
  measure(): number {
    this.approxBytes = this.fullState().byteLength;
    return this.approxBytes;
  }

  destroy(): void {
    this.awareness.destroy();
    this.doc.destroy();
    // After the awareness is destroyed (which clears its own state and emits an update).
    roomsToFlush.delete(this);
    this.awarenessChanged.clear();
    this.pendingUpdates = [];
    this.pendingOrigin = null;
    this.encodedState = null;
    this.fullStateStep2 = null;
    this.step1 = null;
  }
}
