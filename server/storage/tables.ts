/**
 * Every table the server keeps, declared once for both drivers: its name, each column with the
 * record field it holds and a logical type, its key and its constraints. The drivers derive their
 * SELECT lists, INSERT statements and row readers from these declarations (table-sql.ts), new
 * migrations can take their CREATE statements from them, and a test (schema.test.ts) checks each
 * driver's migrated schema against them, so a migration that drifts from a declaration fails.
 *
 * The migrations already applied stay as they were written (they are history); a change to a
 * table is a new migration in both drivers and an edit here.
 */
import type {
  DocUpdate,
  PairPlan,
  UploadedPackRecord,
  HintRequestRecord,
  ParticipantRecord,
  QuestionRecord,
  RevealRecord,
  RunRecord,
  SessionRecord,
  VerificationRecord,
  WorkspaceRecord,
} from "./types.js";

/**
 * What a column holds, whatever the driver calls it: `bigint` is an epoch-millisecond time or an
 * id (SQLite INTEGER, PostgreSQL BIGINT), `json` a value stored as JSON (TEXT, JSONB), `bytes` a
 * binary value (BLOB, BYTEA).
 */
export type LogicalType = "text" | "integer" | "bigint" | "json" | "bytes";

export interface Column {
  /** The column's name in SQL. */
  name: string;
  type: LogicalType;
  /** Whether the column may hold NULL. */
  nullable: boolean;
  /** An id the database numbers on insert: left out of INSERTs (a single-column primary key). */
  generated: boolean;
  /** `table(column)` this column references, if any. */
  references: string | null;
}

export interface Table<R> {
  name: string;
  /** Each field of the record, with the column that holds it (in the declared order). */
  columns: { readonly [K in keyof R]-?: Column };
  /** The primary key's column names. */
  primaryKey: readonly string[];
  /** Column-name lists that are unique. */
  unique: readonly (readonly string[])[];
  /**
   * Whether the table keeps its insertion order in a column of its own: PostgreSQL's `ord
   * BIGSERIAL`; SQLite has its rowid.
   */
  insertionOrder: boolean;
}

type ColumnOptions = Partial<Pick<Column, "nullable" | "generated" | "references">>;

const column =
  (type: LogicalType) =>
  (name: string, options: ColumnOptions = {}): Column => ({
    name,
    type,
    nullable: options.nullable ?? false,
    generated: options.generated ?? false,
    references: options.references ?? null,
  });

const text = column("text");
const integer = column("integer");
const bigint = column("bigint");
const json = column("json");
const bytes = column("bytes");
/** A generated id: the table's primary key, numbered by the database. */
const id = (name = "id") => bigint(name, { generated: true });
const sessionRef = () => text("session_id", { references: "sessions(id)" });

function table<R>(
  name: string,
  columns: Table<R>["columns"],
  options: Partial<Pick<Table<R>, "primaryKey" | "unique" | "insertionOrder">> = {},
): Table<R> {
  const generated = Object.values<Column>(columns).find((c) => c.generated);
  return {
    name,
    columns,
    primaryKey: options.primaryKey ?? (generated ? [generated.name] : []),
    unique: options.unique ?? [],
    insertionOrder: options.insertionOrder ?? false,
  };
}

export const SESSIONS = table<SessionRecord>(
  "sessions",
  {
    id: text("id"),
    packId: text("pack_id"),
    title: text("title"),
    joinCode: text("join_code"),
    hostKeyHash: text("host_key_hash"),
    createdAt: bigint("created_at"),
  },
  { primaryKey: ["id"], unique: [["join_code"]] },
);

export const WORKSPACES = table<WorkspaceRecord>(
  "workspaces",
  { sessionId: sessionRef(), id: text("id"), createdAt: bigint("created_at") },
  { primaryKey: ["session_id", "id"], insertionOrder: true },
);

export const PARTICIPANTS = table<ParticipantRecord>(
  "participants",
  {
    sessionId: sessionRef(),
    id: text("id"),
    name: text("name"),
    workspaceId: text("workspace_id"),
    joinedAt: bigint("joined_at"),
  },
  { primaryKey: ["session_id", "id"], insertionOrder: true },
);

export const RUNS = table<RunRecord>("runs", {
  id: id(),
  sessionId: sessionRef(),
  participantId: text("participant_id"),
  workspaceId: text("workspace_id"),
  report: json("report"),
  at: bigint("at"),
});

export const VERIFICATIONS = table<VerificationRecord>("verifications", {
  id: id(),
  sessionId: sessionRef(),
  workspaceId: text("workspace_id"),
  taskId: text("task_id"),
  requestedBy: text("requested_by"),
  result: json("result"),
  at: bigint("at"),
});

export const REVEALS = table<RevealRecord>("reveals", {
  id: id(),
  sessionId: sessionRef(),
  taskId: text("task_id"),
  kind: text("kind"),
  hintIndex: integer("hint_index", { nullable: true }),
  participantId: text("participant_id", { nullable: true }),
  at: bigint("at"),
});

export const HINT_REQUESTS = table<HintRequestRecord>("hint_requests", {
  id: id(),
  sessionId: sessionRef(),
  participantId: text("participant_id"),
  taskId: text("task_id"),
  at: bigint("at"),
});

export const QUESTIONS = table<QuestionRecord>("questions", {
  id: id(),
  sessionId: sessionRef(),
  participantId: text("participant_id"),
  text: text("text"),
  at: bigint("at"),
  doneAt: bigint("done_at", { nullable: true }),
});

/** A session's pair plan, one row per session. */
export interface PairPlanRow {
  sessionId: string;
  pairs: PairPlan;
}

export const PAIR_PLANS = table<PairPlanRow>(
  "pair_plans",
  { sessionId: sessionRef(), pairs: json("pairs") },
  { primaryKey: ["session_id"] },
);

/** One entry of a doc's update log, with its position. */
export interface DocUpdateRow extends DocUpdate {
  seq: number;
}

export const DOC_UPDATES = table<DocUpdateRow>("doc_updates", {
  seq: id("seq"),
  doc: text("doc"),
  update: bytes("update_data"),
});

export const UPLOADED_PACKS = table<UploadedPackRecord>(
  "uploaded_packs",
  { id: text("id"), title: text("title"), archive: bytes("archive"), uploadedAt: bigint("uploaded_at") },
  { primaryKey: ["id"] },
);

/** A workspace file that has kept versions (history.ts), stored once rather than on every version. */
export interface HistoryFileRow {
  id: number;
  sessionId: string;
  workspaceId: string;
  file: string;
}

export const HISTORY_FILES = table<HistoryFileRow>(
  "history_files",
  { id: id(), sessionId: sessionRef(), workspaceId: text("workspace_id"), file: text("file") },
  { unique: [["session_id", "workspace_id", "file"]] },
);

/**
 * One kept version of a workspace file (history.ts): a delta from the version before, or, on a
 * keyframe row, the whole text brotli-compressed in `keyframe` (and an empty delta).
 */
export interface DocHistoryRow {
  id: number;
  fileId: number;
  at: number;
  runId: number | null;
  delta: string;
  length: number;
  keyframe: Uint8Array | null;
}

export const DOC_HISTORY = table<DocHistoryRow>("doc_history", {
  id: id(),
  fileId: bigint("file_id", { references: "history_files(id)" }),
  at: bigint("at"),
  runId: bigint("run_id", { nullable: true }),
  delta: text("delta"),
  length: integer("length"),
  keyframe: bytes("keyframe", { nullable: true }),
});

/** Every table, for the schema check. */
export const TABLES: readonly Table<object>[] = [
  SESSIONS,
  WORKSPACES,
  PARTICIPANTS,
  RUNS,
  VERIFICATIONS,
  REVEALS,
  HINT_REQUESTS,
  QUESTIONS,
  PAIR_PLANS,
  DOC_UPDATES,
  UPLOADED_PACKS,
  HISTORY_FILES,
  DOC_HISTORY,
];

/** Packs uploaded from the start page (pack-store.ts, which also creates it on its own connection; sqlite.ts migration 2). */
export const UPLOADED_PACKS_TABLE = `CREATE TABLE IF NOT EXISTS uploaded_packs (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  archive BLOB NOT NULL,
  uploaded_at INTEGER NOT NULL
);`;
