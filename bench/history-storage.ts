/**
 * History storage (issue 19): bytes kept per hour for a typical session — a pair editing one
 * 150-line task, a run a minute — against the final document's size.
 *
 *   npx tsx bench/history-storage.ts        HISTORY_MINUTES (60), HISTORY_SEED (19)
 *
 * The session is bench/history-session.ts's. Versions are kept as the server's recorder keeps
 * them (server/history/recorder.ts): the edited file at the minute's timed tick (between the
 * bursts) and at the run (after them), through SqliteStorage.addSnapshot into a real SQLite file. Prints the stored bytes (the rows' column bytes, and the tables' and their indexes'
 * pages from SQLite's dbstat) per hour, the final text's UTF-8 bytes and its Yjs state's bytes, and
 * the ratio the issue bounds (history bytes per hour ≤ 3 × final document).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import * as Y from "yjs";
import { textDelta } from "../server/storage/history.js";
import { SqliteStorage } from "../server/storage/sqlite.js";
import { newId } from "../server/session/ids.js";
import { typicalSession } from "./history-session.js";

const minutes = Number(process.env.HISTORY_MINUTES ?? 60);
const session = typicalSession(minutes, Number(process.env.HISTORY_SEED ?? 19));

const dir = mkdtempSync(join(tmpdir(), "scratchroom-history-bench-"));
const file = join(dir, "history.db");
const storage = new SqliteStorage(file);
// Ids as the server makes them (server/session/ids.ts), a task id as packs name them.
const sessionId = newId();
const workspaceId = newId();
const taskFile = "gradient-descent";
await storage.records.createSession({
  id: sessionId,
  packId: "bench",
  title: "bench",
  joinCode: "BENCH1",
  hostKeyHash: "00",
  createdAt: 0,
});

// The live doc as the pair's editors write it (line edits as Yjs operations), for its final size.
const ydoc = new Y.Doc();
const ytext = ydoc.getText("task");
const edit = (next: string) => {
  let at = 0;
  for (const op of textDelta(ytext.toString(), next)) {
    if (typeof op === "string") {
      ytext.insert(at, op);
      at += op.length;
    } else if (op > 0) at += op;
    else ytext.delete(at, -op);
  }
};
const keep = (at: number, runId: number | null) =>
  storage.records.addSnapshot({ sessionId, workspaceId, file: taskFile, at, runId, text: ytext.toString() });

edit(session.starter);
await keep(0, null);
let run = 0;
for (const { minute, tick, run: atRun } of session.minutes) {
  const t = minute * 60_000;
  edit(tick);
  await keep(t + 30_000, null);
  edit(atRun);
  await keep(t + 55_000, ++run);
}

const versions = (await storage.records.listSnapshots(sessionId, workspaceId)).length;
const rebuilt = (await storage.records.loadHistory(sessionId, workspaceId)).at(-1)!.text;
if (rebuilt !== ytext.toString()) throw new Error("history does not rebuild the final text");
await storage.close();

const db = new Database(file, { readonly: true });
const columnBytes = db
  .prepare<[], number>(
    `SELECT (SELECT SUM(LENGTH(CAST(delta AS BLOB)) + COALESCE(LENGTH(keyframe), 0) + 8 * 5) FROM doc_history)
          + (SELECT SUM(LENGTH(CAST(session_id AS BLOB)) + LENGTH(CAST(workspace_id AS BLOB)) + LENGTH(CAST(file AS BLOB)) + 8) FROM history_files)`,
  )
  .pluck()
  .get()!;
const pageBytes = db
  .prepare<[], number>(
    "SELECT SUM(pgsize) FROM dbstat WHERE name IN ('doc_history', 'doc_history_by_file', 'doc_history_keyframes', 'history_files', 'sqlite_autoindex_history_files_1')",
  )
  .pluck()
  .get()!;
db.close();
rmSync(dir, { recursive: true, force: true });

const hours = minutes / 60;
const textBytes = Buffer.byteLength(ytext.toString(), "utf8");
const yjsBytes = Y.encodeStateAsUpdate(ydoc).length;
const perHour = (n: number) => Math.round(n / hours);
console.log(
  [
    `session: ${minutes} min, ${run} runs, final text ${ytext.toString().split("\n").length - 1} lines`,
    `versions kept: ${versions}`,
    `history rows' column bytes: ${columnBytes} (${perHour(columnBytes)} B/h)`,
    `history table + index pages: ${pageBytes} (${perHour(pageBytes)} B/h)`,
    `final document: text ${textBytes} B, Yjs state ${yjsBytes} B`,
    `ratio (column bytes per hour / final text): ${(perHour(columnBytes) / textBytes).toFixed(2)} (bound 3)`,
    `ratio (page bytes per hour / final text): ${(perHour(pageBytes) / textBytes).toFixed(2)}`,
  ].join("\n"),
);
