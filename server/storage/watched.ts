/**
 * A Storage that reports every successful batched append (with how long it took) to a watcher:
 * the metrics time flushes with it, and the Redis relay learns which of its updates are stored.
 * Everything else passes straight through.
 */
import type { DocUpdate, Storage } from "./types.js";

export type AppendWatcher = (updates: DocUpdate[], seconds: number) => void;

export function watchAppends(storage: Storage, watcher: AppendWatcher): Storage {
  return {
    kind: storage.kind,
    createSession: (s) => storage.createSession(s),
    getSession: (id) => storage.getSession(id),
    getSessionByJoinCode: (code) => storage.getSessionByJoinCode(code),
    addParticipant: (p, w) => storage.addParticipant(p, w),
    getParticipant: (sid, pid) => storage.getParticipant(sid, pid),
    listParticipants: (sid) => storage.listParticipants(sid),
    getWorkspace: (sid, wid) => storage.getWorkspace(sid, wid),
    listWorkspaces: (sid) => storage.listWorkspaces(sid),
    moveParticipant: (sid, pid, wid, created) => storage.moveParticipant(sid, pid, wid, created),
    getPairPlan: (sid) => storage.getPairPlan(sid),
    setPairPlan: (sid, plan) => storage.setPairPlan(sid, plan),
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
    async appendUpdates(updates) {
      const started = performance.now();
      await storage.appendUpdates(updates);
      if (updates.length > 0) watcher(updates, (performance.now() - started) / 1000);
    },
    loadDoc: (doc) => storage.loadDoc(doc),
    countUpdates: (doc) => storage.countUpdates(doc),
    compactDoc: (doc, merged, through) => storage.compactDoc(doc, merged, through),
    compactLog: (doc, liveState) => storage.compactLog(doc, liveState),
    close: () => storage.close(),
  };
}
