/**
 * WAL checkpoints of the SQLite file off the event loop. The storage's connection lives on the main
 * thread with automatic checkpoints off (`PRAGMA wal_autocheckpoint = 0`), so its commits only
 * append to the WAL and never sync (WAL with synchronous=NORMAL syncs only around checkpoints).
 * Copying the WAL back into the database file, and the fsyncs that go with it, is done here: when
 * the WAL passes a size or has been left unchanged for a while, a short-lived worker thread opens
 * its own connection, runs `PRAGMA wal_checkpoint(PASSIVE)` and exits (sqlite-jobs.ts). PASSIVE never takes the
 * writer lock and never waits (SQLite's `sqlite3_wal_checkpoint_v2`), so the main thread's writes
 * go on while it runs; FULL, RESTART and TRUNCATE would hold the writer lock through the fsyncs and
 * put the main thread's next write to sleep in SQLite's busy handler, which is the stall this exists
 * to avoid; RESTART is only the fallback for a WAL that PASSIVE could not get started over
 * (`RESTART_FACTOR`). The worker's isolate (about 10 MB, docs/benchmarks.md "Process RSS (branch rss)") only
 * exists while a checkpoint runs.
 *
 * The first commit after a complete checkpoint restarts the WAL from its start: SQLite syncs the
 * WAL's new header then (a few bytes, not the checkpoint's copy), and `journal_size_limit = 0` has
 * that commit truncate the old WAL to what it wrote, so the file's size is what was written since,
 * which is what the size trigger reads. The job makes that commit itself (sqlite-jobs.ts
 * `restartWal`), so the sync and the truncation are off the event loop too (they made the main
 * thread's next flush 2.5–4.9 ms instead of ~1); only when the main thread holds the writer lock at
 * that moment does its own next commit restart the WAL.
 */
import { statSync } from "node:fs";
import { runSqliteJob, type CheckpointResult } from "./sqlite-jobs.js";

export interface WalCheckpointOptions {
  /**
   * WAL size (bytes) at which a checkpoint starts; SQLite's own default is 1,000 pages, ~4 MB. At
   * `RESTART_FACTOR` times it the job ends with a RESTART (sqlite-jobs.ts).
   */
  walBytes: number;
  /**
   * A WAL that has not changed for this long is checkpointed: the database file catches up and is
   * synced. Until then a power loss (not a process kill) may lose commits, as WAL with
   * synchronous=NORMAL always may; SQLite's own checkpoints came only every ~4 MB of WAL.
   */
  idleMs: number;
  /** How often the WAL's size is looked at (one stat). */
  checkEveryMs: number;
}

export const DEFAULT_WAL_CHECKPOINTS: WalCheckpointOptions = {
  walBytes: 4 * 1024 * 1024,
  // About when the kernel writes dirty pages back by itself (vm.dirty_expire_centisecs, 30 s); a
  // job costs ~30 ms of CPU (a worker's start), so not after every short pause of a class.
  idleMs: 30_000,
  checkEveryMs: 1_000,
};

/**
 * A WAL this many times `walBytes` has outgrown several PASSIVE checkpoints: the commits come too
 * often for one of them to find it fully copied and start it over (measured: a commit every 4 ms
 * grew it to 79 MB, one every 10–50 ms kept it within 2 × `walBytes`).
 */
export const RESTART_FACTOR = 4;

/** The WAL file's size and last change, or null when there is none. */
function walState(walFile: string): { size: number; mtimeMs: number } | null {
  const stat = statSync(walFile, { throwIfNoEntry: false });
  return stat ? { size: stat.size, mtimeMs: stat.mtimeMs } : null;
}

/** Decides when the WAL of `file` is checkpointed, and runs each checkpoint on a short-lived worker. */
export class WalCheckpoints {
  private readonly walFile: string;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<CheckpointResult> | null = null;
  /** The WAL's state when the last checkpoint started: unchanged since, nothing to copy. */
  private checkpointedAt: { size: number; mtimeMs: number } | null = null;
  /** When the WAL was last seen to change (ms, `performance.now`). */
  private changedAt = performance.now();
  private lastSeen: { size: number; mtimeMs: number } | null = null;
  /** When the last checkpoint failed: the next waits `idleMs`, not a worker start per check. */
  private failedAt: number | null = null;
  /** Checkpoints finished, and the last one's answer (tests, logs). */
  completed = 0;
  /** Checkpoints that ended with a RESTART (the fallback). */
  restarts = 0;
  lastResult: CheckpointResult | null = null;

  /** `report` hears of each checkpoint that failed (the WAL grows until one succeeds). */
  constructor(
    private readonly file: string,
    private readonly options: WalCheckpointOptions = DEFAULT_WAL_CHECKPOINTS,
    private readonly report: (err: Error) => void = () => undefined,
  ) {
    this.walFile = `${file}-wal`;
  }

  /** Starts looking at the WAL every `checkEveryMs` (the timer does not keep the process alive). */
  start(): void {
    this.timer ??= setInterval(() => this.check(), this.options.checkEveryMs).unref();
  }

  /** One look at the WAL: starts a checkpoint if it is big enough, or changed and then left alone. */
  check(): void {
    if (this.running) return;
    const now = performance.now();
    const wal = walState(this.walFile);
    if (!wal) return;
    if (this.failedAt !== null && now - this.failedAt < this.options.idleMs) return;
    if (wal.size !== this.lastSeen?.size || wal.mtimeMs !== this.lastSeen.mtimeMs) {
      this.lastSeen = wal;
      this.changedAt = now;
    }
    const done = this.checkpointedAt;
    if (done && done.size === wal.size && done.mtimeMs === wal.mtimeMs) return;
    if (wal.size === 0) return;
    if (wal.size >= this.options.walBytes || now - this.changedAt >= this.options.idleMs) {
      void this.checkpoint().catch(() => undefined);
    }
  }

  /**
   * Runs one checkpoint on a worker thread now (or joins the one running): PASSIVE, then RESTART if
   * the WAL has outgrown `RESTART_FACTOR` × `walBytes`.
   */
  checkpoint(): Promise<CheckpointResult> {
    if (this.running) return this.running;
    this.checkpointedAt = walState(this.walFile);
    const restart = (this.checkpointedAt?.size ?? 0) >= RESTART_FACTOR * this.options.walBytes;
    if (restart) this.restarts += 1;
    const job = runSqliteJob(this.file, { kind: "checkpoint", restart });
    this.running = job.then(
      (result) => {
        this.running = null;
        // The job's own commit (the WAL started over) is no change to checkpoint when idle.
        if (result.restarted) this.checkpointedAt = walState(this.walFile);
        this.completed += 1;
        this.lastResult = result;
        this.failedAt = null;
        return result;
      },
      (err: Error) => {
        this.running = null;
        this.checkpointedAt = null;
        this.failedAt = performance.now();
        this.report(err);
        throw err;
      },
    );
    return this.running;
  }

  /** Stops the timer and waits for a checkpoint in progress (the connection closes after it). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}
