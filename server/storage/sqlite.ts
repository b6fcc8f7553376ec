/**
 * Embedded storage: one SQLite file (better-sqlite3) in DATA_DIR.
 *
 * WAL mode with synchronous=NORMAL: a committed batch survives a process kill; only a power loss
 * can lose the last transactions, which the update-log's batch window already accepts.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import * as Y from "yjs";
import type { RunReport } from "../../contract/run-report.js";
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
  VerificationResult,
  WorkspaceRecord,
  NewSnapshot,
  SnapshotInfo,
  SnapshotRecord,
} from "./types.js";
import { pendingMigrations, type Migration } from "./migrations.js";
import {
  type ChainRow,
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

/** Packs uploaded from the start page (./pack-store.ts, which also creates it on its own connection). */
export const UPLOADED_PACKS_TABLE = `CREATE TABLE IF NOT EXISTS uploaded_packs (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  archive BLOB NOT NULL,
  uploaded_at INTEGER NOT NULL
);`;

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
  { version: 2, name: "uploaded packs", sql: UPLOADED_PACKS_TABLE },
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

interface SessionRow {
  id: string;
  pack_id: string;
  title: string;
  join_code: string;
  host_key_hash: string;
  created_at: number;
}

interface ParticipantRow {
  session_id: string;
  id: string;
  name: string;
  workspace_id: string;
  joined_at: number;
}

interface WorkspaceRow {
  session_id: string;
  id: string;
  created_at: number;
}

interface RunRow {
  id: number;
  session_id: string;
  participant_id: string;
  workspace_id: string;
  report: string;
  at: number;
}

interface VerificationRow {
  id: number;
  session_id: string;
  workspace_id: string;
  task_id: string;
  requested_by: string;
  result: string;
  at: number;
}

interface RevealRow {
  id: number;
  session_id: string;
  task_id: string;
  kind: "hint" | "solution";
  hint_index: number | null;
  participant_id: string | null;
  at: number;
}

interface HintRequestRow {
  id: number;
  session_id: string;
  participant_id: string;
  task_id: string;
  at: number;
}

const toReveal = (r: RevealRow): RevealRecord => ({
  id: r.id,
  sessionId: r.session_id,
  taskId: r.task_id,
  kind: r.kind,
  hintIndex: r.hint_index,
  participantId: r.participant_id,
  at: r.at,
});

const toHintRequest = (r: HintRequestRow): HintRequestRecord => ({
  id: r.id,
  sessionId: r.session_id,
  participantId: r.participant_id,
  taskId: r.task_id,
  at: r.at,
});

interface QuestionRow {
  id: number;
  session_id: string;
  participant_id: string;
  text: string;
  at: number;
  done_at: number | null;
}

const toQuestion = (r: QuestionRow): QuestionRecord => ({
  id: r.id,
  sessionId: r.session_id,
  participantId: r.participant_id,
  text: r.text,
  at: r.at,
  doneAt: r.done_at,
});

const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  packId: r.pack_id,
  title: r.title,
  joinCode: r.join_code,
  hostKeyHash: r.host_key_hash,
  createdAt: r.created_at,
});

const toParticipant = (r: ParticipantRow): ParticipantRecord => ({
  id: r.id,
  sessionId: r.session_id,
  name: r.name,
  workspaceId: r.workspace_id,
  joinedAt: r.joined_at,
});

const toWorkspace = (r: WorkspaceRow): WorkspaceRecord => ({
  id: r.id,
  sessionId: r.session_id,
  createdAt: r.created_at,
});

const toRun = (r: RunRow): RunRecord => ({
  id: r.id,
  sessionId: r.session_id,
  participantId: r.participant_id,
  workspaceId: r.workspace_id,
  report: JSON.parse(r.report) as RunReport,
  at: r.at,
});

const toVerification = (r: VerificationRow): VerificationRecord => ({
  id: r.id,
  sessionId: r.session_id,
  workspaceId: r.workspace_id,
  taskId: r.task_id,
  requestedBy: r.requested_by,
  result: JSON.parse(r.result) as VerificationResult,
  at: r.at,
});

export class SqliteStorage implements Storage {
  readonly kind = "sqlite";
  private readonly db: Database.Database;
  private readonly stmt;
  /** The latest version of recently written history files. */
  private readonly heads = new FileHeads();

  /** Opens (creating if needed) `file`; ":memory:" gives a throwaway database. */
  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("foreign_keys = ON");
    migrateSqlite(this.db);
    const db = this.db;
    this.stmt = {
      insertSession: db.prepare(
        "INSERT INTO sessions (id, pack_id, title, join_code, host_key_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      sessionById: db.prepare<[string], SessionRow>("SELECT * FROM sessions WHERE id = ?"),
      sessionByCode: db.prepare<[string], SessionRow>("SELECT * FROM sessions WHERE join_code = ?"),
      insertWorkspace: db.prepare("INSERT INTO workspaces (session_id, id, created_at) VALUES (?, ?, ?)"),
      insertParticipant: db.prepare(
        "INSERT INTO participants (session_id, id, name, workspace_id, joined_at) VALUES (?, ?, ?, ?, ?)",
      ),
      participant: db.prepare<[string, string], ParticipantRow>(
        "SELECT * FROM participants WHERE session_id = ? AND id = ?",
      ),
      participants: db.prepare<[string], ParticipantRow>(
        "SELECT * FROM participants WHERE session_id = ? ORDER BY joined_at, rowid",
      ),
      workspace: db.prepare<[string, string], WorkspaceRow>(
        "SELECT * FROM workspaces WHERE session_id = ? AND id = ?",
      ),
      workspaces: db.prepare<[string], WorkspaceRow>(
        "SELECT * FROM workspaces WHERE session_id = ? ORDER BY created_at, rowid",
      ),
      moveParticipant: db.prepare("UPDATE participants SET workspace_id = ? WHERE session_id = ? AND id = ?"),
      pairPlan: db.prepare<[string], { pairs: string }>("SELECT pairs FROM pair_plans WHERE session_id = ?"),
      setPairPlan: db.prepare(
        "INSERT INTO pair_plans (session_id, pairs) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET pairs = excluded.pairs",
      ),
      insertRun: db.prepare(
        "INSERT INTO runs (session_id, participant_id, workspace_id, report, at) VALUES (?, ?, ?, ?, ?)",
      ),
      runs: db.prepare<[string], RunRow>("SELECT * FROM runs WHERE session_id = ? ORDER BY id"),
      workspaceRuns: db.prepare<[string, string], RunRow>(
        "SELECT * FROM runs WHERE session_id = ? AND workspace_id = ? ORDER BY id",
      ),
      insertVerification: db.prepare(
        "INSERT INTO verifications (session_id, workspace_id, task_id, requested_by, result, at) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      verifications: db.prepare<[string], VerificationRow>(
        "SELECT * FROM verifications WHERE session_id = ? ORDER BY id",
      ),
      insertReveal: db.prepare(
        "INSERT INTO reveals (session_id, task_id, kind, hint_index, participant_id, at) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      reveals: db.prepare<[string], RevealRow>("SELECT * FROM reveals WHERE session_id = ? ORDER BY id"),
      insertHintRequest: db.prepare(
        "INSERT INTO hint_requests (session_id, participant_id, task_id, at) VALUES (?, ?, ?, ?)",
      ),
      hintRequests: db.prepare<[string], HintRequestRow>(
        "SELECT * FROM hint_requests WHERE session_id = ? ORDER BY id",
      ),
      insertQuestion: db.prepare(
        "INSERT INTO questions (session_id, participant_id, text, at) VALUES (?, ?, ?, ?)",
      ),
      questions: db.prepare<[string], QuestionRow>(
        "SELECT * FROM questions WHERE session_id = ? ORDER BY id",
      ),
      questionDone: db.prepare<[number, string, number], QuestionRow>(
        "UPDATE questions SET done_at = COALESCE(done_at, ?) WHERE session_id = ? AND id = ? RETURNING *",
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
      insertHistory: db.prepare(
        "INSERT INTO doc_history (file_id, at, run_id, delta, length, keyframe) VALUES (?, ?, ?, ?, ?, ?)",
      ),
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
      insertUpdate: db.prepare("INSERT INTO doc_updates (doc, update_data) VALUES (?, ?)"),
      docUpdates: db.prepare<[string], { seq: number; update_data: Buffer }>(
        "SELECT seq, update_data FROM doc_updates WHERE doc = ? ORDER BY seq",
      ),
      countUpdates: db.prepare<[string], { n: number }>(
        "SELECT COUNT(*) AS n FROM doc_updates WHERE doc = ?",
      ),
      deleteThrough: db.prepare("DELETE FROM doc_updates WHERE doc = ? AND seq <= ?"),
      logExtent: db.prepare<[string], { n: number; last: number | null }>(
        "SELECT COUNT(*) AS n, MAX(seq) AS last FROM doc_updates WHERE doc = ?",
      ),
      // The merged row takes the seq of the last row it replaces, so it still sorts before newer rows.
      insertAt: db.prepare("INSERT INTO doc_updates (seq, doc, update_data) VALUES (?, ?, ?)"),
    };
  }

  /** Opens `DATA_DIR/scratchroom.db`. */
  static open(dataDir: string): SqliteStorage {
    mkdirSync(dataDir, { recursive: true });
    return new SqliteStorage(join(dataDir, "scratchroom.db"));
  }

  async createSession(s: SessionRecord): Promise<void> {
    this.stmt.insertSession.run(s.id, s.packId, s.title, s.joinCode, s.hostKeyHash, s.createdAt);
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const row = this.stmt.sessionById.get(id);
    return row ? toSession(row) : null;
  }

  async getSessionByJoinCode(joinCode: string): Promise<SessionRecord | null> {
    const row = this.stmt.sessionByCode.get(joinCode);
    return row ? toSession(row) : null;
  }

  async addParticipant(p: ParticipantRecord, w: WorkspaceRecord): Promise<void> {
    this.db.transaction(() => {
      this.stmt.insertWorkspace.run(w.sessionId, w.id, w.createdAt);
      this.stmt.insertParticipant.run(p.sessionId, p.id, p.name, p.workspaceId, p.joinedAt);
    })();
  }

  async getParticipant(sessionId: string, participantId: string): Promise<ParticipantRecord | null> {
    const row = this.stmt.participant.get(sessionId, participantId);
    return row ? toParticipant(row) : null;
  }

  async listParticipants(sessionId: string): Promise<ParticipantRecord[]> {
    return this.stmt.participants.all(sessionId).map(toParticipant);
  }

  async getWorkspace(sessionId: string, workspaceId: string): Promise<WorkspaceRecord | null> {
    const row = this.stmt.workspace.get(sessionId, workspaceId);
    return row ? toWorkspace(row) : null;
  }

  async listWorkspaces(sessionId: string): Promise<WorkspaceRecord[]> {
    return this.stmt.workspaces.all(sessionId).map(toWorkspace);
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
        this.stmt.insertWorkspace.run(newWorkspace.sessionId, newWorkspace.id, newWorkspace.createdAt);
      return moved;
    })();
  }

  async getPairPlan(sessionId: string): Promise<PairPlan> {
    const row = this.stmt.pairPlan.get(sessionId);
    return row ? (JSON.parse(row.pairs) as PairPlan) : [];
  }

  async setPairPlan(sessionId: string, plan: PairPlan): Promise<void> {
    this.stmt.setPairPlan.run(sessionId, JSON.stringify(plan));
  }

  async addRun(run: NewRun): Promise<RunRecord> {
    const info = this.stmt.insertRun.run(
      run.sessionId,
      run.participantId,
      run.workspaceId,
      JSON.stringify(run.report),
      run.at,
    );
    return { ...run, id: Number(info.lastInsertRowid) };
  }

  async listRuns(sessionId: string): Promise<RunRecord[]> {
    return this.stmt.runs.all(sessionId).map(toRun);
  }

  async listWorkspaceRuns(sessionId: string, workspaceId: string): Promise<RunRecord[]> {
    return this.stmt.workspaceRuns.all(sessionId, workspaceId).map(toRun);
  }

  async addVerification(v: NewVerification): Promise<VerificationRecord> {
    const info = this.stmt.insertVerification.run(
      v.sessionId,
      v.workspaceId,
      v.taskId,
      v.requestedBy,
      JSON.stringify(v.result),
      v.at,
    );
    return { ...v, id: Number(info.lastInsertRowid) };
  }

  async listVerifications(sessionId: string): Promise<VerificationRecord[]> {
    return this.stmt.verifications.all(sessionId).map(toVerification);
  }

  async addReveal(r: NewReveal): Promise<RevealRecord> {
    const info = this.stmt.insertReveal.run(
      r.sessionId,
      r.taskId,
      r.kind,
      r.hintIndex,
      r.participantId,
      r.at,
    );
    return { ...r, id: Number(info.lastInsertRowid) };
  }

  async listReveals(sessionId: string): Promise<RevealRecord[]> {
    return this.stmt.reveals.all(sessionId).map(toReveal);
  }

  async addHintRequest(r: NewHintRequest): Promise<HintRequestRecord> {
    const info = this.stmt.insertHintRequest.run(r.sessionId, r.participantId, r.taskId, r.at);
    return { ...r, id: Number(info.lastInsertRowid) };
  }

  async listHintRequests(sessionId: string): Promise<HintRequestRecord[]> {
    return this.stmt.hintRequests.all(sessionId).map(toHintRequest);
  }

  async addQuestion(q: NewQuestion): Promise<QuestionRecord> {
    const info = this.stmt.insertQuestion.run(q.sessionId, q.participantId, q.text, q.at);
    return { ...q, id: Number(info.lastInsertRowid), doneAt: null };
  }

  async listQuestions(sessionId: string): Promise<QuestionRecord[]> {
    return this.stmt.questions.all(sessionId).map(toQuestion);
  }

  async markQuestionDone(sessionId: string, id: number, at: number): Promise<QuestionRecord | null> {
    const row = this.stmt.questionDone.get(at, sessionId, id);
    return row ? toQuestion(row) : null;
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
        fileId,
        row.at,
        row.run_id,
        row.delta,
        row.length,
        row.keyframe,
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

  async appendUpdates(updates: DocUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    this.db.transaction(() => {
      for (const u of updates) this.stmt.insertUpdate.run(u.doc, u.update);
    })();
  }

  async loadDoc(doc: string): Promise<DocLog> {
    const rows = this.stmt.docUpdates.all(doc);
    return {
      updates: rows.map(
        (r) => new Uint8Array(r.update_data.buffer, r.update_data.byteOffset, r.update_data.byteLength),
      ),
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
    return this.db.transaction(() => {
      if (liveState) {
        // Only this server writes this file, so its live copy holds every row: no need to read them.
        const { n, last } = this.stmt.logExtent.get(doc)!;
        if (n <= 1 || last === null) return 0;
        this.stmt.deleteThrough.run(doc, last);
        this.stmt.insertAt.run(last, doc, liveState);
        return n;
      }
      const rows = this.stmt.docUpdates.all(doc);
      if (rows.length <= 1) return 0;
      const merged = Y.mergeUpdates(
        rows.map(
          (r) => new Uint8Array(r.update_data.buffer, r.update_data.byteOffset, r.update_data.byteLength),
        ),
      );
      const throughSeq = rows[rows.length - 1]!.seq;
      this.stmt.deleteThrough.run(doc, throughSeq);
      this.stmt.insertAt.run(throughSeq, doc, merged);
      return rows.length;
    })();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
