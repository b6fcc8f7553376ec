/**
 * A Storage that remembers the records every sync connection looks up before its upgrade
 * (session, participant, workspace): they never change or disappear once stored, so a record found
 * once is served from memory afterwards. Everything else passes straight through.
 *
 * Why: with SQLite on its worker thread each lookup is a message round trip to that thread, three
 * in a row per connection; when a class connects at once they queue behind each other and dominated
 * connect-to-synced (docs/benchmarks.md, "Idle capacity"). Only hits are kept: a record another
 * instance adds later (Postgres) is still found on the next lookup.
 */
import type { ParticipantRecord, SessionRecord, Storage, WorkspaceRecord } from "./types.js";

/** Records kept per kind; the oldest are dropped beyond it (a Map iterates in insertion order). */
export const RECORD_CACHE_SIZE = 20_000;

class BoundedMap<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
  get size(): number {
    return this.map.size;
  }
}

const key = (sessionId: string, id: string) => `${sessionId}\u0000${id}`;

export interface CachedStorage extends Storage {
  /** How many records of each kind are held (for tests and metrics). */
  cachedRecords(): { sessions: number; participants: number; workspaces: number };
}

export function cacheRecords(storage: Storage, max = RECORD_CACHE_SIZE): CachedStorage {
  const sessions = new BoundedMap<SessionRecord>(max);
  const participants = new BoundedMap<ParticipantRecord>(max);
  const workspaces = new BoundedMap<WorkspaceRecord>(max);
  /** Callers get their own copy, so nothing they do changes what the cache holds. */
  const copy = <T extends object>(record: T | null | undefined): T | null => (record ? { ...record } : null);
  return {
    kind: storage.kind,
    cachedRecords: () => ({
      sessions: sessions.size,
      participants: participants.size,
      workspaces: workspaces.size,
    }),
    async createSession(s) {
      await storage.createSession(s);
      sessions.set(s.id, { ...s });
    },
    async getSession(id) {
      const hit = sessions.get(id);
      if (hit) return copy(hit);
      const found = await storage.getSession(id);
      if (found) sessions.set(id, { ...found });
      return found;
    },
    getSessionByJoinCode: (code) => storage.getSessionByJoinCode(code),
    async addParticipant(p, w) {
      await storage.addParticipant(p, w);
      participants.set(key(p.sessionId, p.id), { ...p });
      workspaces.set(key(w.sessionId, w.id), { ...w });
    },
    async getParticipant(sid, pid) {
      const hit = participants.get(key(sid, pid));
      if (hit) return copy(hit);
      const found = await storage.getParticipant(sid, pid);
      if (found) participants.set(key(sid, pid), { ...found });
      return found;
    },
    listParticipants: (sid) => storage.listParticipants(sid),
    async getWorkspace(sid, wid) {
      const hit = workspaces.get(key(sid, wid));
      if (hit) return copy(hit);
      const found = await storage.getWorkspace(sid, wid);
      if (found) workspaces.set(key(sid, wid), { ...found });
      return found;
    },
    listWorkspaces: (sid) => storage.listWorkspaces(sid),
    addRun: (run) => storage.addRun(run),
    listRuns: (sid) => storage.listRuns(sid),
    addVerification: (v) => storage.addVerification(v),
    listVerifications: (sid) => storage.listVerifications(sid),
    addReveal: (r) => storage.addReveal(r),
    listReveals: (sid) => storage.listReveals(sid),
    addHintRequest: (r) => storage.addHintRequest(r),
    listHintRequests: (sid) => storage.listHintRequests(sid),
    addQuestion: (q) => storage.addQuestion(q),
    listQuestions: (sid) => storage.listQuestions(sid),
    markQuestionDone: (sid, id, at) => storage.markQuestionDone(sid, id, at),
    appendUpdates: (updates) => storage.appendUpdates(updates),
    loadDoc: (doc) => storage.loadDoc(doc),
    countUpdates: (doc) => storage.countUpdates(doc),
    compactDoc: (doc, merged, through) => storage.compactDoc(doc, merged, through),
    compactLog: (doc) => storage.compactLog(doc),
    close: () => storage.close(),
  };
}
