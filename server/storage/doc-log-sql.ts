/**
 * The SQLite statements on a doc's update log (`doc_updates`) that both the event loop's store
 * (SqliteDocumentStore, sqlite.ts) and the merge job on a worker thread (sqlite-jobs.ts) run: one
 * home, so a compaction made on either side follows the same rules. The merged row takes the seq
 * of the last row it replaces, so it still sorts before rows appended since.
 */
import { DOC_UPDATES } from "./tables.js";

const table = DOC_UPDATES.name;

export const DOC_LOG_SQL = {
  /** A doc's rows, oldest first: `(doc)` → `{seq, update_data}`. */
  rows: `SELECT seq, update_data FROM ${table} WHERE doc = ? ORDER BY seq`,
  /** How many rows a doc has up to a seq: `(doc, seq)` → `{n}`. */
  countThrough: `SELECT COUNT(*) AS n FROM ${table} WHERE doc = ? AND seq <= ?`,
  /** Removes a doc's rows up to a seq: `(doc, seq)`. */
  deleteThrough: `DELETE FROM ${table} WHERE doc = ? AND seq <= ?`,
  /** The merged row, at the seq of the last row it replaces: `(seq, doc, update)`. */
  insertAt: `INSERT INTO ${table} (seq, doc, update_data) VALUES (?, ?, ?)`,
} as const;

export type DocLogSql = typeof DOC_LOG_SQL;
