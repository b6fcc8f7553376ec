/**
 * The records a credential check reads (`getAccessRecords`: the session, the participant and the
 * workspace), kept in memory once read, so the sync upgrade of a known participant (and the API's
 * authentication) costs no storage call: with SQLite that call was a round trip to a storage thread
 * sharing the server's core (docs/benchmarks.md, "Connect path at 5,000 connections"); since
 * SQLite runs on the main thread (branch sqlmain) it is a few statements there, still skipped.
 *
 * Correct only where this process is the database's one writer: SQLite without a relay (main.ts
 * wires it only then). Of these records, storage never deletes any and changes one field:
 * a participant's `workspaceId`, by `moveParticipant` (pairing, unpairing), which goes through this
 * wrapper. So a cached session or workspace is the stored one for good, and a cached participant is
 * dropped when it moves; a read that overlapped a move is not kept (it may carry the old
 * workspace). Nothing missing is cached (a record may be created later); what this process
 * writes (a new session, a participant and its workspace) is kept as written.
 */
import { passThroughRecords } from "./methods.js";
import type {
  AccessRecords,
  ParticipantRecord,
  RecordStore,
  SessionRecord,
  Storage,
  WorkspaceRecord,
} from "./types.js";

/** Entries kept per kind; past it the oldest go first. */
export const ACCESS_CACHE_ENTRIES = 50_000;

const key = (sessionId: string, id: string) => `${sessionId}\n${id}`;

/** A map of at most `limit` entries, the first inserted evicted first. */
class Bounded<V> extends Map<string, V> {
  constructor(private readonly limit: number) {
    super();
  }

  put(k: string, v: V): void {
    if (this.size >= this.limit && !this.has(k)) this.delete(this.keys().next().value!);
    this.set(k, v);
  }
}

/** `records` with its credential-check reads served from memory once read (see above). */
export function cachingAccessRecords(records: RecordStore, limit = ACCESS_CACHE_ENTRIES): RecordStore {
  const sessions = new Bounded<SessionRecord>(limit);
  const participants = new Bounded<ParticipantRecord>(limit);
  const workspaces = new Bounded<WorkspaceRecord>(limit);
  /** Bumped when a move starts and when it ends: a read spanning either is not kept. */
  let moveEpoch = 0;
  let movesInFlight = 0;

  return {
    ...passThroughRecords(records),

    getAccessRecords(sessionId, participantId, workspaceId): Promise<AccessRecords> {
      const session = sessions.get(sessionId);
      const participant = participantId === null ? null : participants.get(key(sessionId, participantId));
      const workspace = workspaceId === null ? null : workspaces.get(key(sessionId, workspaceId));
      if (session !== undefined && participant !== undefined && workspace !== undefined) {
        return Promise.resolve({ session, participant, workspace });
      }
      const epoch = moveEpoch;
      return records.getAccessRecords(sessionId, participantId, workspaceId).then((found) => {
        if (found.session) sessions.put(sessionId, Object.freeze(found.session));
        if (found.workspace && workspaceId !== null) {
          workspaces.put(key(sessionId, workspaceId), Object.freeze(found.workspace));
        }
        if (found.participant && participantId !== null && movesInFlight === 0 && epoch === moveEpoch) {
          participants.put(key(sessionId, participantId), Object.freeze(found.participant));
        }
        return found;
      });
    },

    // What is stored is what was written (no store changes these records on the way in): a
    // participant's first sync upgrades, right after joining, need no storage call either.
    async createSession(session) {
      await records.createSession(session);
      sessions.put(session.id, Object.freeze({ ...session }));
    },

    async addParticipant(participant, workspace) {
      const epoch = moveEpoch;
      await records.addParticipant(participant, workspace);
      const { sessionId } = participant;
      workspaces.put(key(workspace.sessionId, workspace.id), Object.freeze({ ...workspace }));
      if (movesInFlight === 0 && epoch === moveEpoch) {
        participants.put(key(sessionId, participant.id), Object.freeze({ ...participant }));
      }
    },

    async moveParticipant(sessionId, participantId, workspaceId, newWorkspace) {
      const k = key(sessionId, participantId);
      movesInFlight++;
      moveEpoch++;
      participants.delete(k);
      try {
        return await records.moveParticipant(sessionId, participantId, workspaceId, newWorkspace);
      } finally {
        participants.delete(k);
        movesInFlight--;
        moveEpoch++;
      }
    },
  };
}

/** `storage` with {@link cachingAccessRecords} over its records (for the database's one writer). */
export function withAccessCache(storage: Storage): Storage {
  return {
    kind: storage.kind,
    records: cachingAccessRecords(storage.records),
    documents: storage.documents,
    close: () => storage.close(),
  };
}
