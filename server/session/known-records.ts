/**
 * The records a sync upgrade checks a token against (the session, the participant, that the
 * workspace exists), kept in memory once read, so a known participant's connection makes no
 * storage round trip: with SQLite each lookup is a message to its worker thread, three in a row
 * per connection, queued behind whatever that thread is doing (a flush, a compaction).
 *
 * What can change: sessions and workspaces are never updated or deleted once stored; a
 * participant's workspace changes when pairing moves it (`moveParticipant`). So a participant is
 * forgotten when it moves: here by the storage wrapper {@link forgetMovedParticipants} (before and
 * after the write), on other instances by the relayed `pairs` event (server/main.ts). A read that
 * was in flight while a participant was forgotten is not kept (the epoch check), so it cannot put a
 * record from before the move back. Misses are never kept: a record stored later is found.
 *
 * The HMAC of the token is still checked on every connection (server/session/access.ts); only the
 * storage reads are saved.
 */
import { passThrough } from "../storage/methods.js";
import type { ParticipantRecord, SessionRecord, Storage } from "../storage/types.js";

/** Records kept per kind; the oldest are dropped beyond it (a Map iterates in insertion order). */
export const KNOWN_RECORDS_MAX = 20_000;

const key = (sessionId: string, id: string) => `${sessionId}\u0000${id}`;

function remember<V>(map: Map<string, V>, k: string, value: V, max: number): void {
  map.delete(k);
  map.set(k, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}

export class KnownRecords {
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly participants = new Map<string, ParticipantRecord>();
  private readonly workspaces = new Map<string, true>();
  /** Bumped whenever a participant is forgotten; a read that saw it change keeps nothing. */
  private epoch = 0;

  constructor(
    private readonly storage: Storage,
    private readonly max = KNOWN_RECORDS_MAX,
  ) {}

  async session(id: string): Promise<SessionRecord | null> {
    const hit = this.sessions.get(id);
    if (hit) return hit;
    const found = await this.storage.getSession(id);
    if (found) remember(this.sessions, id, Object.freeze({ ...found }), this.max);
    return found;
  }

  async participant(sessionId: string, participantId: string): Promise<ParticipantRecord | null> {
    const k = key(sessionId, participantId);
    const hit = this.participants.get(k);
    if (hit) return hit;
    const epoch = this.epoch;
    const found = await this.storage.getParticipant(sessionId, participantId);
    if (found && epoch === this.epoch) {
      remember(this.participants, k, Object.freeze({ ...found }), this.max);
    }
    return found;
  }

  async workspaceExists(sessionId: string, workspaceId: string): Promise<boolean> {
    const k = key(sessionId, workspaceId);
    if (this.workspaces.has(k)) return true;
    const found = (await this.storage.getWorkspace(sessionId, workspaceId)) !== null;
    if (found) remember(this.workspaces, k, true, this.max);
    return found;
  }

  /** Drops what is known of a participant (it moved workspace); in-flight reads keep nothing. */
  forgetParticipant(sessionId: string, participantId: string): void {
    this.epoch++;
    this.participants.delete(key(sessionId, participantId));
  }

  /** How many records of each kind are held. */
  size(): { sessions: number; participants: number; workspaces: number } {
    return {
      sessions: this.sessions.size,
      participants: this.participants.size,
      workspaces: this.workspaces.size,
    };
  }
}

/** `storage` whose `moveParticipant` makes `known` forget the participant, before and after the write. */
export function forgetMovedParticipants(storage: Storage, known: KnownRecords): Storage {
  return {
    ...passThrough(storage),
    kind: storage.kind,
    async moveParticipant(sessionId, participantId, workspaceId, newWorkspace) {
      known.forgetParticipant(sessionId, participantId);
      try {
        return await storage.moveParticipant(sessionId, participantId, workspaceId, newWorkspace);
      } finally {
        known.forgetParticipant(sessionId, participantId);
      }
    },
    close: () => storage.close(),
  };
}
