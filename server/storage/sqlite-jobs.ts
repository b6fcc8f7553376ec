/**
 * Work on the SQLite file that must not run on the event loop, each job on a short-lived worker
 * thread with its own connection: a WAL checkpoint (its fsyncs; wal-checkpoints.ts decides when)
 * and the merge of a doc's stored rows when no room holds the doc (Yjs over hundreds of rows:
 * 15–35 ms for 500 rows of typing, docs/benchmarks.md "SQLite on the main thread"). The worker's
 * isolate, about 10 MB, exists only while a job runs; between jobs the storage has no thread.
 *
 * The jobs' connections never wait on the main thread's and never make it wait long: the
 * checkpoint is PASSIVE (no writer lock, no busy handler: SQLite's `sqlite3_wal_checkpoint_v2`),
 * the merge reads outside any write transaction and holds the writer lock only for its delete and
 * insert (no sync in WAL with synchronous=NORMAL). Neither connection checkpoints on commit. The
 * exceptions: the fallback below, for a WAL that PASSIVE could not get restarted; and the commit a
 * complete checkpoint ends with, which starts the WAL over (`restartWal`) and so holds the writer
 * lock through the sync of the WAL's header (a few ms, once per checkpoint, and only if the lock
 * was free): a main-thread commit in that moment waits for it, where before the main thread made
 * that sync itself in its first commit after every checkpoint.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { DOC_LOG_SQL } from "./doc-log-sql.js";

/**
 * What `PRAGMA wal_checkpoint` answers: busy (0/1), frames in the WAL, frames checkpointed; and
 * whether the job then started the WAL over itself (`restarted`: it holds one frame of the job's).
 */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
  restarted: boolean;
}

/**
 * A checkpoint, or the merge of a doc's rows. `restart`: after the PASSIVE passes, a RESTART with
 * no busy wait (it gives up at once if the main thread holds the writer lock). RESTART holds the
 * writer lock while it copies what the passes left and syncs, so a main-thread commit in that
 * moment waits for it (a few ms); it is only asked for when PASSIVE checkpoints have let the WAL
 * grow to several times its size (commits so frequent that none of them finds the WAL fully
 * copied, which is what lets a commit start it over; wal-checkpoints.ts).
 */
export type SqliteJob = { kind: "checkpoint"; restart: boolean } | { kind: "merge-log"; doc: string };

/** What each job answers: the checkpoint's counts; the rows the merge replaced (0: none). */
export type SqliteJobResult<J extends SqliteJob> = J extends { kind: "checkpoint" }
  ? CheckpointResult
  : number;

/**
 * Passes of PASSIVE a checkpoint job makes. One copies what the WAL held when it started; what the
 * main thread commits meanwhile is left, and the WAL is only restarted (reused from its start, and
 * so kept from growing) by the first commit after a checkpoint that left nothing. Each further
 * pass copies only what came in during the last, so a few catch up under steady writes.
 */
const CHECKPOINT_PASSES = 4;

/**
 * The job runner, an eval'd CommonJS script (no TypeScript: from the sources it needs no loader in
 * its isolate). The merge runs `compactLog`'s statements (doc-log-sql.ts, handed over in
 * `workerData.sql`): the merged row takes the seq of the last row it replaces; if the rows it read
 * changed before its write (another compaction), it leaves them.
 */
const JOB_SCRIPT = `
const { parentPort, workerData } = require("node:worker_threads");
const { statSync } = require("node:fs");
const WAL_HEADER_BYTES = 32;
const WAL_FRAME_HEADER_BYTES = 24;
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
const sql = workerData.sql;
const MAX_PASSES = ${CHECKPOINT_PASSES};
function mergeLog(doc) {
  const rows = db.prepare(sql.rows).all(doc);
  if (rows.length <= 1) return 0;
  const merged = require(workerData.yjs).mergeUpdates(rows.map((r) => r.update_data));
  const last = rows[rows.length - 1].seq;
  return db.transaction(() => {
    const { n } = db.prepare(sql.countThrough).get(doc, last);
    if (n !== rows.length) return 0;
    db.prepare(sql.deleteThrough).run(doc, last);
    db.prepare(sql.insertAt).run(last, doc, merged);
    return rows.length;
  }).immediate();
}
function restartWal() {
  // A commit that changes nothing (the header's user_version, rewritten with its own value). As the
  // first commit after a complete checkpoint it starts the WAL over: it syncs the new header and
  // cuts the file to what it wrote (journal_size_limit = 0), here rather than in the main thread's
  // next flush. No busy wait: if the main thread holds the writer lock, its own next commit after
  // this checkpoint restarts the WAL, as it did without this.
  try {
    db.transaction(() => {
      db.pragma("user_version = " + Number(db.pragma("user_version", { simple: true })));
    }).immediate();
  } catch (err) {
    if (err && err.code === "SQLITE_BUSY") return false;
    throw err;
  }
  // Started over: the WAL holds this one frame (else a commit of the main thread came in between,
  // and this one was appended after it).
  const pageSize = db.pragma("page_size", { simple: true });
  return statSync(workerData.file + "-wal").size <= WAL_HEADER_BYTES + WAL_FRAME_HEADER_BYTES + pageSize;
}
function checkpoint(restart) {
  let result;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    result = db.pragma("wal_checkpoint(PASSIVE)")[0];
    if (result.checkpointed === result.log) break;
  }
  db.pragma("busy_timeout = 0");
  if (restart) result = db.pragma("wal_checkpoint(RESTART)")[0];
  db.pragma("journal_size_limit = 0");
  const restarted = result.busy === 0 && result.log > 0 && result.checkpointed === result.log && restartWal();
  return { ...result, restarted };
}
try {
  db.pragma("wal_autocheckpoint = 0");
  const job = workerData.job;
  if (job.kind === "checkpoint") parentPort.postMessage(checkpoint(job.restart));
  else parentPort.postMessage(mergeLog(job.doc));
} finally {
  db.close();
}
`;

/** The jobs' young generation, MB: a job allocates little (a doc's rows are buffers). */
const JOB_YOUNG_GENERATION_MB = 2;

const resolvePackage = (name: string) => createRequire(import.meta.url).resolve(name);
let packages: { driver: string; yjs: string } | null = null;

/** Runs `job` on the database `file` on a new worker thread, which exits when it is done. */
export function runSqliteJob<J extends SqliteJob>(file: string, job: J): Promise<SqliteJobResult<J>> {
  packages ??= { driver: resolvePackage("better-sqlite3"), yjs: resolvePackage("yjs") };
  return new Promise((resolve, reject) => {
    const worker = new Worker(JOB_SCRIPT, {
      eval: true,
      workerData: { file, job, sql: DOC_LOG_SQL, ...packages },
      // Not the parent's flags: from the sources they load tsx, which this script does not need.
      execArgv: [],
      resourceLimits: { maxYoungGenerationSizeMb: JOB_YOUNG_GENERATION_MB },
    });
    let answered = false;
    let result: SqliteJobResult<J>;
    worker.on("message", (r: SqliteJobResult<J>) => {
      answered = true;
      result = r;
    });
    worker.on("error", reject);
    worker.on("exit", (code) => {
      if (answered) resolve(result);
      else reject(new Error(`SQLite ${job.kind} job exited (${code}) without an answer`));
    });
  });
}
