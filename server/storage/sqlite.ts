/**
 * Embedded storage: one SQLite file (better-sqlite3) in DATA_DIR, its versioned migrations, and the
 * two stores on its one connection (`SqliteRecordStore`, `SqliteDocumentStore`) composed by
 * `SqliteStorage`. Column lists and row readers come from the table declarations (tables.ts).
 *
 * WAL mode with synchronous=NORMAL: a committed batch survives a process kill; only a power loss
 * can lose the last transactions, which the update-log's batch window already accepts. The server
 * opens it on the main thread (`SqliteStorage.open`) with the WAL's checkpoints, the only writes
 * that sync, moved off the event loop (wal-checkpoints.ts); a commit then appends to the WAL and
 * returns.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type * as Yjs from "yjs";
import type {
  AccessRecords,
  DocLog,
  DocUpdate,
  DocumentStore,
  NewRun,
  PairPlan,
  ParticipantRecord,
  RecordStore,
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
  NewSnapshot,
  SnapshotInfo,
  SnapshotRecord,
} from "./types.js";
import * as tables from "./tables.js";
import { columnList, insertInto, insertValues, rowReader, selectFrom, type Row } from "./table-sql.js";
import { pendingMigrations, type Migration } from "./migrations.js";
import {
  type ChainRow,
  docHistoryRecord,
  HISTORY_COLUMNS,
  type HistoryRow,
  headOfChain,
  nextRow,
  rebuild,
  SNAPSHOT_COLUMNS,
  type SnapshotRow,
  textOfChain,
  snapshotInfo,
  toSnapshotInfo,
} from "./history.js";
import { FileHeads } from "./history-heads.js";
import { DOC_LOG_SQL } from "./doc-log-sql.js";
import { runSqliteJob } from "./sqlite-jobs.js";
import { DEFAULT_WAL_CHECKPOINTS, WalCheckpoints, type WalCheckpointOptions } from "./wal-checkpoints.js";

/** Yjs, once {@link SqliteDocumentStore.compactLog} has needed it. */
let yjsModule: typeof Yjs | null = null;

/**
 * Ordered schema changes (migrations.ts), recorded in `schema_migrations` like PostgreSQL's.
 * Version 1 creates only what is missing, so a database made before versioning adopts it as is.
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "sessions, participants, workspaces, runs, verifications, reveals, hint requests, questions, pair plans, doc update log",
    sql: `
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  pack_id TEXT NOT NULL,
  title TEXT NOT NULL,
  join_code TEXT NOT NULL UNIQUE,
  host_key_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS workspaces (
  session_id TEXT NOT NULL REFERENCES sessions(id),
  id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, id)
);
CREATE TABLE IF NOT EXISTS participants (
  session_id TEXT NOT NULL REFERENCES sessions(id),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  joined_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, id)
);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES sessions(id),
  participant_id TEXT NOT NULL,
  workspace_id TEXT NOT NULL,
  report TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_session ON runs(session_id, id);
CREATE TABLE IF NOT EXISTS verifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES sessions(id),
  workspace_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  result TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS verifications_by_session ON verifications(session_id, id);
CREATE TABLE IF NOT EXISTS reveals (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES sessions(id),
  task_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  hint_index INTEGER,
  participant_id TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS reveals_by_session ON reveals(session_id, id);
CREATE TABLE IF NOT EXISTS hint_requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES sessions(id),
  participant_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS hint_requests_by_session ON hint_requests(session_id, id);
CREATE TABLE IF NOT EXISTS questions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES sessions(id),
  participant_id TEXT NOT NULL,
  text TEXT NOT NULL,
  at INTEGER NOT NULL,
  done_at INTEGER
);
CREATE INDEX IF NOT EXISTS questions_by_session ON questions(session_id, id);
CREATE TABLE IF NOT EXISTS pair_plans (
  session_id TEXT PRIMARY KEY REFERENCES sessions(id),
  pairs TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS doc_updates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  doc TEXT NOT NULL,
  update_data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS doc_updates_by_doc ON doc_updates(doc, seq);
`,
  },
  { version: 2, name: "uploaded packs", sql: tables.UPLOADED_PACKS_TABLE },
  {
    version: 3,
    name: "workspace history (storage/history.ts)",
    sql: `
CREATE TABLE history_files (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES sessions(id),
  workspace_id TEXT NOT NULL,
  file TEXT NOT NULL,
  UNIQUE (session_id, workspace_id, file)
);
CREATE TABLE doc_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  file_id INTEGER NOT NULL REFERENCES history_files(id),
  at INTEGER NOT NULL,
  run_id INTEGER,
  delta TEXT NOT NULL,
  length INTEGER NOT NULL
);
CREATE INDEX doc_history_by_file ON doc_history(file_id, id);
`,
  },
  {
    version: 4,
    name: "history keyframes (storage/history.ts), runs by workspace",
    sql: `
ALTER TABLE doc_history ADD COLUMN keyframe BLOB;
CREATE INDEX runs_by_workspace ON runs(session_id, workspace_id, id);
CREATE INDEX doc_history_keyframes ON doc_history(file_id, id) WHERE keyframe IS NOT NULL;
`,
  },
];

/** Applies the migrations not yet recorded, in one transaction; returns their versions. */
export function migrateSqlite(db: Database.Database): number[] {
  return db
    .transaction(() => {
      db.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
      );
      const applied = db.prepare<[], number>("SELECT version FROM schema_migrations").pluck().all();
      const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
      return pendingMigrations(SQLITE_MIGRATIONS, applied).map((m) => {
        db.exec(m.sql);
        record.run(m.version, m.name, Date.now());
        return m.version;
      });
    })
    .immediate();
}

/** The reader of a table's rows as this driver returns them. */
const read = <R>(table: tables.Table<R>) => rowReader(table, "sqlite");

/** The records, on the connection the document store shares. */
export class SqliteRecordStore implements RecordStore {
  private readonly stmt;
  /** The latest version of recently written history files. */
  private readonly heads = new FileHeads();

  constructor(private readonly db: Database.Database) {
    const bySession = <R>(t: tables.Table<R>, order: string) =>
      db.prepare<[string], Row>(`${selectFrom(t)} WHERE session_id = ? ORDER BY ${order}`);
    const inSession = <R>(t: tables.Table<R>) =>
      db.prepare<[string, string], Row>(`${selectFrom(t)} WHERE session_id = ? AND id = ?`);
    this.stmt = {
      insertSession: db.prepare(insertInto(tables.SESSIONS, "sqlite")),
      sessionById: db.prepare<[string], Row>(`${selectFrom(tables.SESSIONS)} WHERE id = ?`),
      sessionByCode: db.prepare<[string], Row>(`${selectFrom(tables.SESSIONS)} WHERE join_code = ?`),
      insertWorkspace: db.prepare(insertInto(tables.WORKSPACES, "sqlite")),
      insertParticipant: db.prepare(insertInto(tables.PARTICIPANTS, "sqlite")),
      participant: inSession(tables.PARTICIPANTS),
      participants: bySession(tables.PARTICIPANTS, "joined_at, rowid"),
      workspace: inSession(tables.WORKSPACES),
      workspaces: bySession(tables.WORKSPACES, "created_at, rowid"),
      moveParticipant: db.prepare("UPDATE participants SET workspace_id = ? WHERE session_id = ? AND id = ?"),
      pairPlan: db.prepare<[string], Row>(`${selectFrom(tables.PAIR_PLANS)} WHERE session_id = ?`),
      setPairPlan: db.prepare(
        `${insertInto(tables.PAIR_PLANS, "sqlite")} ON CONFLICT (session_id) DO UPDATE SET pairs = excluded.pairs`,
      ),
      insertRun: db.prepare(insertInto(tables.RUNS, "sqlite")),
      runs: bySession(tables.RUNS, "id"),
      workspaceRuns: db.prepare<[string, string], Row>(
        `${selectFrom(tables.RUNS)} WHERE session_id = ? AND workspace_id = ? ORDER BY id`,
      ),
      insertVerification: db.prepare(insertInto(tables.VERIFICATIONS, "sqlite")),
      verifications: bySession(tables.VERIFICATIONS, "id"),
      insertReveal: db.prepare(insertInto(tables.REVEALS, "sqlite")),
      reveals: bySession(tables.REVEALS, "id"),
      insertHintRequest: db.prepare(insertInto(tables.HINT_REQUESTS, "sqlite")),
      hintRequests: bySession(tables.HINT_REQUESTS, "id"),
      insertQuestion: db.prepare(insertInto(tables.QUESTIONS, "sqlite")),
      questions: bySession(tables.QUESTIONS, "id"),
      questionDone: db.prepare<[number, string, number], Row>(
        `UPDATE questions SET done_at = COALESCE(done_at, ?) WHERE session_id = ? AND id = ? RETURNING ${columnList(tables.QUESTIONS)}`,
      ),
      historyFile: db.prepare(
        "INSERT INTO history_files (session_id, workspace_id, file) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET file = excluded.file RETURNING id",
      ),
      // The file's latest row and its latest keyframe (null before any).
      fileHead: db.prepare<[number, number], { latest: number | null; keyframe_id: number | null }>(
        "SELECT MAX(id) AS latest, (SELECT MAX(id) FROM doc_history WHERE file_id = ? AND keyframe IS NOT NULL) AS keyframe_id FROM doc_history WHERE file_id = ?",
      ),
      // A file's rows from `from` (a keyframe, or 0 for its first row) through `to`.
      fileChain: db.prepare<[number, number, number], ChainRow>(
        "SELECT id, delta, keyframe FROM doc_history WHERE file_id = ? AND id >= ? AND id <= ? ORDER BY id",
      ),
      insertHistory: db.prepare(insertInto(tables.DOC_HISTORY, "sqlite")),
      workspaceSnapshots: db.prepare<[string, string], SnapshotRow>(
        `SELECT ${SNAPSHOT_COLUMNS} FROM doc_history h JOIN history_files f ON f.id = h.file_id WHERE f.session_id = ? AND f.workspace_id = ? ORDER BY h.id`,
      ),
      // One version of a workspace, with its file's latest keyframe at or before it.
      snapshot: db.prepare<
        [number, string, string],
        SnapshotRow & { file_id: number; keyframe_id: number | null }
      >(
        `SELECT ${SNAPSHOT_COLUMNS}, h.file_id,
           (SELECT MAX(k.id) FROM doc_history k WHERE k.file_id = h.file_id AND k.id <= h.id AND k.keyframe IS NOT NULL) AS keyframe_id
         FROM doc_history h JOIN history_files f ON f.id = h.file_id WHERE h.id = ? AND f.session_id = ? AND f.workspace_id = ?`,
      ),
      workspaceHistory: db.prepare<[string, string], HistoryRow>(
        `SELECT ${HISTORY_COLUMNS} FROM doc_history h JOIN history_files f ON f.id = h.file_id WHERE f.session_id = ? AND f.workspace_id = ? ORDER BY h.id`,
      ),
    };
  }

  /** Inserts `record` with `statement` and returns it with the id SQLite gave it. */
  private insert<R extends { id: number }>(
    statement: Database.Statement,
    table: tables.Table<R>,
    record: Omit<R, "id">,
  ): R {
    const info = statement.run(...insertValues(table, record as Partial<R>));
    return { ...record, id: Number(info.lastInsertRowid) } as R;
  }

  async createSession(s: SessionRecord): Promise<void> {
    this.stmt.insertSession.run(...insertValues(tables.SESSIONS, s));
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const row = this.stmt.sessionById.get(id);
    return row ? read(tables.SESSIONS)(row) : null;
  }

  async getSessionByJoinCode(joinCode: string): Promise<SessionRecord | null> {
    const row = this.stmt.sessionByCode.get(joinCode);
    return row ? read(tables.SESSIONS)(row) : null;
  }

  async addParticipant(p: ParticipantRecord, w: WorkspaceRecord): Promise<void> {
    this.db.transaction(() => {
      this.stmt.insertWorkspace.run(...insertValues(tables.WORKSPACES, w));
      this.stmt.insertParticipant.run(...insertValues(tables.PARTICIPANTS, p));
    })();
  }

  async getParticipant(sessionId: string, participantId: string): Promise<ParticipantRecord | null> {
    const row = this.stmt.participant.get(sessionId, participantId);
    return row ? read(tables.PARTICIPANTS)(row) : null;
  }

  async listParticipants(sessionId: string): Promise<ParticipantRecord[]> {
    return this.stmt.participants.all(sessionId).map(read(tables.PARTICIPANTS));
  }

  async getWorkspace(sessionId: string, workspaceId: string): Promise<WorkspaceRecord | null> {
    const row = this.stmt.workspace.get(sessionId, workspaceId);
    return row ? read(tables.WORKSPACES)(row) : null;
  }

  async getAccessRecords(
    sessionId: string,
    participantId: string | null,
    workspaceId: string | null,
  ): Promise<AccessRecords> {
    const session = this.stmt.sessionById.get(sessionId);
    const participant =
      participantId === null ? undefined : this.stmt.participant.get(sessionId, participantId);
    const workspace = workspaceId === null ? undefined : this.stmt.workspace.get(sessionId, workspaceId);
    return {
      session: session ? read(tables.SESSIONS)(session) : null,
      participant: participant ? read(tables.PARTICIPANTS)(participant) : null,
      workspace: workspace ? read(tables.WORKSPACES)(workspace) : null,
    };
  }

  async listWorkspaces(sessionId: string): Promise<WorkspaceRecord[]> {
    return this.stmt.workspaces.all(sessionId).map(read(tables.WORKSPACES));
  }

  async moveParticipant(
    sessionId: string,
    participantId: string,
    workspaceId: string,
    newWorkspace?: WorkspaceRecord,
  ): Promise<boolean> {
    return this.db.transaction(() => {
      const moved = this.stmt.moveParticipant.run(workspaceId, sessionId, participantId).changes > 0;
      // Checked before the insert, so a missing participant leaves no orphan workspace behind.
      if (moved && newWorkspace)
        this.stmt.insertWorkspace.run(...insertValues(tables.WORKSPACES, newWorkspace));
      return moved;
    })();
  }

  async getPairPlan(sessionId: string): Promise<PairPlan> {
    const row = this.stmt.pairPlan.get(sessionId);
    return row ? read(tables.PAIR_PLANS)(row).pairs : [];
  }

  async setPairPlan(sessionId: string, plan: PairPlan): Promise<void> {
    this.stmt.setPairPlan.run(...insertValues(tables.PAIR_PLANS, { sessionId, pairs: plan }));
  }

  async addRun(r: NewRun): Promise<RunRecord> {
    return this.insert(this.stmt.insertRun, tables.RUNS, r);
  }

  async listRuns(sessionId: string): Promise<RunRecord[]> {
    return this.stmt.runs.all(sessionId).map(read(tables.RUNS));
  }

  async listWorkspaceRuns(sessionId: string, workspaceId: string): Promise<RunRecord[]> {
    return this.stmt.workspaceRuns.all(sessionId, workspaceId).map(read(tables.RUNS));
  }

  async addVerification(v: NewVerification): Promise<VerificationRecord> {
    return this.insert(this.stmt.insertVerification, tables.VERIFICATIONS, v);
  }

  async listVerifications(sessionId: string): Promise<VerificationRecord[]> {
    return this.stmt.verifications.all(sessionId).map(read(tables.VERIFICATIONS));
  }

  async addReveal(r: NewReveal): Promise<RevealRecord> {
    return this.insert(this.stmt.insertReveal, tables.REVEALS, r);
  }

  async listReveals(sessionId: string): Promise<RevealRecord[]> {
    return this.stmt.reveals.all(sessionId).map(read(tables.REVEALS));
  }

  async addHintRequest(r: NewHintRequest): Promise<HintRequestRecord> {
    return this.insert(this.stmt.insertHintRequest, tables.HINT_REQUESTS, r);
  }

  async listHintRequests(sessionId: string): Promise<HintRequestRecord[]> {
    return this.stmt.hintRequests.all(sessionId).map(read(tables.HINT_REQUESTS));
  }

  async addQuestion(q: NewQuestion): Promise<QuestionRecord> {
    return this.insert(this.stmt.insertQuestion, tables.QUESTIONS, { ...q, doneAt: null });
  }

  async listQuestions(sessionId: string): Promise<QuestionRecord[]> {
    return this.stmt.questions.all(sessionId).map(read(tables.QUESTIONS));
  }

  async markQuestionDone(sessionId: string, id: number, at: number): Promise<QuestionRecord | null> {
    const row = this.stmt.questionDone.get(at, sessionId, id);
    return row ? read(tables.QUESTIONS)(row) : null;
  }

  async addSnapshot(snapshot: NewSnapshot): Promise<SnapshotInfo | null> {
    const stored = this.db.transaction(() => {
      const { id: fileId } = this.stmt.historyFile.get(
        snapshot.sessionId,
        snapshot.workspaceId,
        snapshot.file,
      ) as {
        id: number;
      };
      const { latest, keyframe_id: keyframe } = this.stmt.fileHead.get(fileId, fileId)!;
      const head =
        latest === null
          ? null
          : (this.heads.get(fileId, latest) ??
            headOfChain(this.stmt.fileChain.all(fileId, keyframe ?? 0, latest)));
      const next = nextRow(head, snapshot);
      if (!next) return null;
      const { row } = next;
      const info = this.stmt.insertHistory.run(
        ...insertValues(tables.DOC_HISTORY, docHistoryRecord(fileId, row)),
      );
      const id = Number(info.lastInsertRowid);
      return { fileId, head: next.headAt(id), info: snapshotInfo(snapshot, id, row.length) };
    })();
    if (!stored) return null;
    // Only once committed: a rolled-back row must not become the head.
    this.heads.set(stored.fileId, stored.head);
    return stored.info;
  }

  async listSnapshots(sessionId: string, workspaceId: string): Promise<SnapshotInfo[]> {
    return this.stmt.workspaceSnapshots.all(sessionId, workspaceId).map(toSnapshotInfo);
  }

  async getSnapshot(sessionId: string, workspaceId: string, id: number): Promise<SnapshotRecord | null> {
    const row = this.stmt.snapshot.get(id, sessionId, workspaceId);
    if (!row) return null;
    const text = textOfChain(this.stmt.fileChain.all(row.file_id, row.keyframe_id ?? 0, row.id));
    return { ...toSnapshotInfo(row), text };
  }

  async loadHistory(sessionId: string, workspaceId: string): Promise<SnapshotRecord[]> {
    return rebuild(this.stmt.workspaceHistory.all(sessionId, workspaceId));
  }
}

/** The docs' update logs: the hot path (one transaction per flush of the update log). */
export class SqliteDocumentStore implements DocumentStore {
  private readonly stmt;

  /**
   * `mergeElsewhere`, when given, merges a doc's rows off the event loop (a short-lived worker,
   * sqlite-jobs.ts) for `compactLog` without a live state; without it they are merged here.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly mergeElsewhere: ((doc: string) => Promise<number>) | null = null,
  ) {
    this.stmt = {
      insertUpdate: db.prepare(insertInto(tables.DOC_UPDATES, "sqlite")),
      docUpdates: db.prepare<[string], Row>(`${selectFrom(tables.DOC_UPDATES)} WHERE doc = ? ORDER BY seq`),
      countUpdates: db.prepare<[string], { n: number }>(
        "SELECT COUNT(*) AS n FROM doc_updates WHERE doc = ?",
      ),
      deleteThrough: db.prepare(DOC_LOG_SQL.deleteThrough),
      logExtent: db.prepare<[string], { n: number; last: number | null }>(
        "SELECT COUNT(*) AS n, MAX(seq) AS last FROM doc_updates WHERE doc = ?",
      ),
      insertAt: db.prepare(DOC_LOG_SQL.insertAt),
    };
  }

  async appendUpdates(updates: DocUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    this.db.transaction(() => {
      for (const u of updates) this.stmt.insertUpdate.run(u.doc, u.update);
    })();
  }

  async loadDoc(doc: string): Promise<DocLog> {
    const rows = this.stmt.docUpdates.all(doc).map(read(tables.DOC_UPDATES));
    return {
      updates: rows.map((r) => r.update),
      lastSeq: rows.length > 0 ? rows[rows.length - 1]!.seq : 0,
    };
  }

  async countUpdates(doc: string): Promise<number> {
    return this.stmt.countUpdates.get(doc)?.n ?? 0;
  }

  async compactDoc(doc: string, merged: Uint8Array, throughSeq: number): Promise<void> {
    this.db.transaction(() => {
      this.stmt.deleteThrough.run(doc, throughSeq);
      this.stmt.insertAt.run(throughSeq, doc, merged);
    })();
  }

  async compactLog(doc: string, liveState?: Uint8Array): Promise<number> {
    if (!liveState && this.mergeElsewhere) return this.mergeElsewhere(doc);
    // Merging the rows (a doc no room holds) is the only use of Yjs here: loaded the first time, not
    // at startup; once loaded, the transaction starts at once, as it always did.
    const yjs = liveState ? null : (yjsModule ?? (yjsModule = await import("yjs")));
    return this.db.transaction(() => {
      if (liveState) {
        // Only this server writes this file, so its live copy holds every row: no need to read them.
        const { n, last } = this.stmt.logExtent.get(doc)!;
        if (n <= 1 || last === null) return 0;
        this.stmt.deleteThrough.run(doc, last);
        this.stmt.insertAt.run(last, doc, liveState);
        return n;
      }
      const rows = this.stmt.docUpdates.all(doc).map(read(tables.DOC_UPDATES));
      if (rows.length <= 1) return 0;
      const merged = yjs!.mergeUpdates(rows.map((r) => r.update));
      const throughSeq = rows[rows.length - 1]!.seq;
      this.stmt.deleteThrough.run(doc, throughSeq);
      this.stmt.insertAt.run(throughSeq, doc, merged);
      return rows.length;
    })();
  }
}

/** The SQLite storage: the records and the docs' logs on one connection to one file. */
export class SqliteStorage implements Storage {
  readonly kind = "sqlite";
  readonly records: SqliteRecordStore;
  readonly documents: SqliteDocumentStore;
  /** The WAL's checkpoints when they run off the event loop, else null (SQLite's own, on commit). */
  readonly checkpoints: WalCheckpoints | null;
  private readonly db: Database.Database;
  /** Merges running on workers (sqlite-jobs.ts), awaited by `close`. */
  private readonly jobs = new Set<Promise<unknown>>();

  /**
   * Opens (creating if needed) `file`; ":memory:" gives a throwaway database. With `checkpoints`, no
   * commit on this connection checkpoints: a short-lived worker does (wal-checkpoints.ts), and
   * another merges the rows of a doc no room holds (sqlite-jobs.ts).
   */
  constructor(
    file: string,
    options: { checkpoints?: WalCheckpointOptions; onCheckpointError?: (err: Error) => void } = {},
  ) {
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("foreign_keys = ON");
    const offLoop = options.checkpoints !== undefined && file !== ":memory:";
    if (offLoop) {
      this.db.pragma("wal_autocheckpoint = 0");
      // The first commit after a checkpoint truncates the old WAL to what it wrote.
      this.db.pragma("journal_size_limit = 0");
      this.checkpoints = new WalCheckpoints(file, options.checkpoints, options.onCheckpointError);
    } else {
      this.checkpoints = null;
    }
    migrateSqlite(this.db);
    this.records = new SqliteRecordStore(this.db);
    this.documents = new SqliteDocumentStore(this.db, offLoop ? (doc) => this.mergeOffLoop(file, doc) : null);
    this.checkpoints?.start();
  }

  /** Merges `doc`'s rows on a short-lived worker; the rows it replaced. */
  private mergeOffLoop(file: string, doc: string): Promise<number> {
    if (!this.db.open) return Promise.reject(new Error("storage closed"));
    const job = runSqliteJob(file, { kind: "merge-log", doc });
    const tracked = job.catch(() => undefined).finally(() => this.jobs.delete(tracked));
    this.jobs.add(tracked);
    return job;
  }

  /**
   * Opens `DATA_DIR/scratchroom.db`, its checkpoints off the event loop (the server's storage);
   * `onCheckpointError` hears of a checkpoint that failed.
   */
  static open(
    dataDir: string,
    checkpoints: WalCheckpointOptions = DEFAULT_WAL_CHECKPOINTS,
    onCheckpointError?: (err: Error) => void,
  ): SqliteStorage {
    mkdirSync(dataDir, { recursive: true });
    return new SqliteStorage(join(dataDir, "scratchroom.db"), { checkpoints, onCheckpointError });
  }

  /**
   * Closes the connection once a running checkpoint is done. The last connection to close
   * checkpoints what is left and removes the WAL (SQLite), on this thread: at shutdown only.
   */
  async close(): Promise<void> {
    await this.checkpoints?.stop();
    await Promise.all(this.jobs);
    if (this.db.open) this.db.close();
  }
}
