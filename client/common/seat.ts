/**
 * Where this browser keeps its credentials: an attendee's seat (token per session, also found by
 * join code so the join link leads back to the same workspace) and a host's key per session.
 */
import type { Seat } from "../api.js";

export interface StoredSeat extends Seat {
  joinCode: string;
  name: string;
}

const seatKey = (sessionId: string) => `scratchroom:seat:${sessionId}`;
const codeKey = (joinCode: string) => `scratchroom:code:${joinCode.toUpperCase()}`;
const hostKeyKey = (sessionId: string) => `scratchroom:host:${sessionId}`;

function read<T>(storage: Storage, key: string): T | null {
  try {
    const raw = storage.getItem(key);
    return raw === null ? null : (JSON.parse(raw) as T);
  } catch {
    return null;
  }
}

export function saveSeat(storage: Storage, seat: StoredSeat): void {
  storage.setItem(seatKey(seat.sessionId), JSON.stringify(seat));
  storage.setItem(codeKey(seat.joinCode), JSON.stringify(seat.sessionId));
}

export function seatForSession(storage: Storage, sessionId: string): StoredSeat | null {
  return read<StoredSeat>(storage, seatKey(sessionId));
}

export function seatForCode(storage: Storage, joinCode: string): StoredSeat | null {
  const sessionId = read<string>(storage, codeKey(joinCode));
  return sessionId === null ? null : seatForSession(storage, sessionId);
}

export function forgetSeat(storage: Storage, sessionId: string): void {
  const seat = seatForSession(storage, sessionId);
  storage.removeItem(seatKey(sessionId));
  if (seat) storage.removeItem(codeKey(seat.joinCode));
}

export function saveHostKey(storage: Storage, sessionId: string, hostKey: string): void {
  storage.setItem(hostKeyKey(sessionId), JSON.stringify(hostKey));
}

export function hostKeyFor(storage: Storage, sessionId: string): string | null {
  return read<string>(storage, hostKeyKey(sessionId));
}

/** Reads `#key=…` from a host URL fragment. */
export function hostKeyFromFragment(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const key = params.get("key");
  return key && key.length > 0 ? key : null;
}

/** Seats this page has just been given by the server: no need to ask whether they are still valid. */
const fresh = new Set<string>();
export const markSeatFresh = (sessionId: string) => void fresh.add(sessionId);
/** True once for a seat joined in this page (the room then skips `GET /me`). */
export const takeFreshSeat = (sessionId: string): boolean => fresh.delete(sessionId);
