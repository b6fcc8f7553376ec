/**
 * SQLite storage on a worker thread. better-sqlite3 is synchronous, and a WAL checkpoint's fsync
 * on a busy disk can take 100 ms or more; on the main thread that stall would land on every
 * connected client's edits. Here the event loop only posts messages.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { StorageAnswer, StorageCall } from "./sqlite-worker.js";
import type {
  DocLog,
  DocUpdate,
  NewRun,
  PairPlan,
  ParticipantRecord,
  RunRecord,
  SessionRecord,
  Storage,
  NewVerification,
  HintRequestRecord,
  NewQuestion,
  QuestionRecord,
  NewHintRequest,
  NewReveal,
  RevealRecord,
  VerificationRecord,
  WorkspaceRecord,
} from "./types.js";

/** The ESM entry of tsx's register API, from its package exports (the CJS one cannot be imported). */
function tsxEsmApi(): string {
  const pkgFile = createRequire(import.meta.url).resolve("tsx/package.json");
  const pkg = JSON.parse(readFileSync(pkgFile, "utf8")) as {
    exports: Record<string, { import: { default: string } }>;
  };
  return join(dirname(pkgFile), pkg.exports["./esm/api"]!.import.default);
}

/** Starts the worker; from TypeScript sources (dev, tests) it registers tsx in the worker first. */
function startWorker(file: string): Worker {
  const fromSources = import.meta.url.endsWith(".ts");
  const entry = new URL(fromSources ? "./sqlite-worker.ts" : "./sqlite-worker.js", import.meta.url).href;
  if (!fromSources) return new Worker(new URL(entry), { workerData: { file } });
  const tsx = pathToFileURL(tsxEsmApi()).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData: { file } });
}

export class ThreadedSqliteStorage implements Storage {
  readonly kind = "sqlite";
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private nextId = 1;
  private failure: Error | null = null;

  constructor(file: string) {
    this.worker = startWorker(file);
    this.worker.on("message", (answer: StorageAnswer) => {
      const waiter = this.pending.get(answer.id);
      if (!waiter) return;
      this.pending.delete(answer.id);
      if (answer.ok) waiter.resolve(answer.value);
      else waiter.reject(new Error(answer.message));
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const w of this.pending.values()) w.reject(err);
      this.pending.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`storage worker exited (${code})`)));
  }

  /** Opens `DATA_DIR/scratchroom.db` on a worker thread. */
  static open(dataDir: string): ThreadedSqliteStorage {
    mkdirSync(dataDir, { recursive: true });
    return new ThreadedSqliteStorage(join(dataDir, "scratchroom.db"));
  }

  private call<T>(method: keyof Storage, ...args: unknown[]): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, method, args } satisfies StorageCall);
    });
  }

  createSession(session: SessionRecord): Promise<void> {
    return this.call("createSession", session);
  }
  getSession(id: string): Promise<SessionRecord | null> {
    return this.call("getSession", id);
  }
  getSessionByJoinCode(joinCode: string): Promise<SessionRecord | null> {
    return this.call("getSessionByJoinCode", joinCode);
  }
  addParticipant(participant: ParticipantRecord, workspace: WorkspaceRecord): Promise<void> {
    return this.call("addParticipant", participant, workspace);
  }
  getParticipant(sessionId: string, participantId: string): Promise<ParticipantRecord | null> {
    return this.call("getParticipant", sessionId, participantId);
  }
  listParticipants(sessionId: string): Promise<ParticipantRecord[]> {
    return this.call("listParticipants", sessionId);
  }
  getWorkspace(sessionId: string, workspaceId: string): Promise<WorkspaceRecord | null> {
    return this.call("getWorkspace", sessionId, workspaceId);
  }
  listWorkspaces(sessionId: string): Promise<WorkspaceRecord[]> {
    return this.call("listWorkspaces", sessionId);
  }
  moveParticipant(
    sessionId: string,
    participantId: string,
    workspaceId: string,
    newWorkspace?: WorkspaceRecord,
  ): Promise<boolean> {
    return this.call("moveParticipant", sessionId, participantId, workspaceId, newWorkspace);
  }
  getPairPlan(sessionId: string): Promise<PairPlan> {
    return this.call("getPairPlan", sessionId);
  }
  setPairPlan(sessionId: string, plan: PairPlan): Promise<void> {
    return this.call("setPairPlan", sessionId, plan);
  }
  addRun(run: NewRun): Promise<RunRecord> {
    return this.call("addRun", run);
  }
  listRuns(sessionId: string): Promise<RunRecord[]> {
    return this.call("listRuns", sessionId);
  }
  addVerification(verification: NewVerification): Promise<VerificationRecord> {
    return this.call("addVerification", verification);
  }
  listVerifications(sessionId: string): Promise<VerificationRecord[]> {
    return this.call("listVerifications", sessionId);
  }
  addReveal(reveal: NewReveal): Promise<RevealRecord> {
    return this.call("addReveal", reveal);
  }
  listReveals(sessionId: string): Promise<RevealRecord[]> {
    return this.call("listReveals", sessionId);
  }
  addHintRequest(request: NewHintRequest): Promise<HintRequestRecord> {
    return this.call("addHintRequest", request);
  }
  listHintRequests(sessionId: string): Promise<HintRequestRecord[]> {
    return this.call("listHintRequests", sessionId);
  }
  addQuestion(question: NewQuestion): Promise<QuestionRecord> {
    return this.call("addQuestion", question);
  }
  listQuestions(sessionId: string): Promise<QuestionRecord[]> {
    return this.call("listQuestions", sessionId);
  }
  markQuestionDone(sessionId: string, id: number, at: number): Promise<QuestionRecord | null> {
    return this.call("markQuestionDone", sessionId, id, at);
  }
  appendUpdates(updates: DocUpdate[]): Promise<void> {
    return this.call("appendUpdates", updates);
  }
  loadDoc(doc: string): Promise<DocLog> {
    return this.call("loadDoc", doc);
  }
  countUpdates(doc: string): Promise<number> {
    return this.call("countUpdates", doc);
  }
  compactDoc(doc: string, merged: Uint8Array, throughSeq: number): Promise<void> {
    return this.call("compactDoc", doc, merged, throughSeq);
  }
  compactLog(doc: string, liveState?: Uint8Array): Promise<number> {
    return this.call("compactLog", doc, liveState);
  }

  async close(): Promise<void> {
    if (this.failure) return;
    await this.call("close");
    await this.worker.terminate();
  }
}
