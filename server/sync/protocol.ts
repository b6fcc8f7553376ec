/**
 * The y-websocket wire format (y-protocols): every frame starts with a message type, then the
 * sync, awareness or auth payload. Encoders for what the server sends live here so the room and
 * the connection share one definition.
 */
import * as encoding from "lib0/encoding";
import * as authProtocol from "y-protocols/auth";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import type * as Y from "yjs";

export const messageSync = 0;
export const messageAwareness = 1;
export const messageAuth = 2;
export const messageQueryAwareness = 3;

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, messageSync);
  syncProtocol.writeSyncStep1(e, doc);
  return encoding.toUint8Array(e);
}

export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, messageSync);
  syncProtocol.writeSyncStep2(e, doc, stateVector);
  return encoding.toUint8Array(e);
}

/** Sync step 2 carrying `state`, the whole doc as one update (the answer to an empty state vector). */
export function encodeFullStateStep2(state: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, messageSync);
  encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
  encoding.writeVarUint8Array(e, state);
  return encoding.toUint8Array(e);
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, messageSync);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

/** Bytes of a lib0 variable-length unsigned integer. */
function varUintLength(n: number): number {
  let bytes = 1;
  while (n > 0x7f) {
    n = Math.floor(n / 128);
    bytes++;
  }
  return bytes;
}

/** Bytes of `encodeUpdate(update)`. */
export function updateMessageLength(update: Uint8Array): number {
  return 2 + varUintLength(update.byteLength) + update.byteLength;
}

/**
 * Writes `encodeUpdate(update)` into `target` at `offset` (which has `updateMessageLength(update)`
 * bytes of room there), without an encoder of its own: the message type and sync message kind
 * (each one byte), the update's length (lib0 varuint), the update.
 */
export function writeUpdateMessage(target: Uint8Array, offset: number, update: Uint8Array): void {
  let at = offset;
  target[at++] = messageSync;
  target[at++] = syncProtocol.messageYjsUpdate;
  let n = update.byteLength;
  while (n > 0x7f) {
    target[at++] = 0x80 | (n & 0x7f);
    n = Math.floor(n / 128);
  }
  target[at++] = n;
  target.set(update, at);
}

export function encodeAwareness(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, messageAwareness);
  encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(e);
}

export function encodePermissionDenied(reason: string): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, messageAuth);
  authProtocol.writePermissionDenied(e, reason);
  return encoding.toUint8Array(e);
}

/** Whether a Yjs update carries no change (the empty update is two zero bytes in format v1). */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.byteLength <= 2 && update.every((b) => b === 0);
}

/** Whether a state vector says "I have nothing" (a fresh client's: the single byte 0, no entries). */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.byteLength === 1 && stateVector[0] === 0;
}
