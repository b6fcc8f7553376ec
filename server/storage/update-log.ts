/**
 * The write side of the Yjs update log: batches appends so storage sees at most one write per
 * flush window, and merges a doc's log into one row once it grows past a threshold.
 *
 * Why batch: typing produces an update per keystroke per client; one transaction per 250 ms keeps
 * SQLite (or Postgres) far from the hot path, and a hard kill loses at most that window.
 */
import type { Logger } from "../logger.js";
import type { DocUpdate, DocumentStore } from "./types.js";

export interface UpdateLogOptions {
  /** Most time between an append and its write. */
  flushIntervalMs: number;
  /** Rows in a doc's log beyond which it is merged. */
  compactAfterUpdates: number;
}

/**
 * Resolves on the event loop's next turn, in its timers phase: after the input that came meanwhile
 * has been read and the rooms' end-of-turn fan-out (a check-phase immediate) has gone out.
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export class UpdateLog {
  private pending: DocUpdate[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** Rows each doc has in storage as far as this writer knows (loaded on first touch). */
  private readonly rows = new Map<string, number>();
  private readonly compacting = new Set<string>();
  /** The full state of a doc loaded in memory (null when it is not), for compaction. */
  private liveState: (doc: string) => Uint8Array | null = () => null;

  constructor(
    private readonly storage: DocumentStore,
    private readonly options: UpdateLogOptions,
    private readonly log: Logger,
  ) {}

  /** Queues an update; it reaches storage within `flushIntervalMs`. */
  append(doc: string, update: Uint8Array): void {
    this.pending.push({ doc, update });
    this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs);
  }

  /** Writes everything queued so far; resolves when it is stored (and any due compaction done). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.pending;
    this.pending = [];
    // Chain on the previous flush so batches reach storage in order.
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  /**
   * Where compaction gets a loaded doc's full state: encoding the live doc takes a few ms on the
   * event loop, where merging thousands of stored rows took hundreds (on the storage thread SQLite
   * once had, it kept every other storage call, such as the token checks of joining clients,
   * waiting).
   */
  useLiveState(source: (doc: string) => Uint8Array | null): void {
    this.liveState = source;
  }

  /** Tells the writer how many rows a freshly loaded doc has, so compaction can trigger. */
  noteLoaded(doc: string, rows: number): void {
    this.rows.set(doc, rows);
  }

  /** Forgets a doc evicted from memory. */
  forget(doc: string): void {
    this.rows.delete(doc);
  }

  private async write(batch: DocUpdate[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      await this.storage.appendUpdates(batch);
    } catch (err) {
      // Keep the batch for the next flush rather than dropping acknowledged edits.
      this.log.error({ err, updates: batch.length }, "update log write failed; will retry");
      this.pending = batch.concat(this.pending);
      this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs);
      return;
    }
    const touched = new Map<string, number>();
    for (const u of batch) touched.set(u.doc, (touched.get(u.doc) ?? 0) + 1);
    const due: string[] = [];
    for (const [doc, added] of touched) {
      const known = this.rows.get(doc) ?? (await this.storage.countUpdates(doc)) - added;
      const rows = known + added;
      this.rows.set(doc, rows);
      if (rows > this.options.compactAfterUpdates) due.push(doc);
    }
    // One compaction per turn of the event loop, the first on the turn after the flush's: docs
    // typed into at the same pace cross the threshold in the same flush, and their compactions
    // back to back (1–6 ms each with SQLite on this thread) kept the input waiting 20 ms and more
    // in the classroom evening (docs/benchmarks.md "Branch evening").
    for (const doc of due) {
      await nextTurn();
      await this.compact(doc);
    }
  }

  /**
   * Replaces a doc's whole log with one update: the live doc's state when it is loaded (every row
   * this writer stored is in it: writes are chained, so none is in flight now), else the storage
   * merges the rows (SQLite: on a short-lived worker, sqlite-jobs.ts); never a merge on the event
   * loop with SQLite.
   */
  async compact(doc: string): Promise<void> {
    if (this.compacting.has(doc)) return;
    this.compacting.add(doc);
    try {
      const rows = await this.storage.compactLog(doc, this.liveState(doc) ?? undefined);
      if (rows === 0) return;
      this.rows.set(doc, 1);
      this.log.debug({ doc, rows }, "compacted update log");
    } catch (err) {
      this.log.error({ err, doc }, "update log compaction failed");
    } finally {
      this.compacting.delete(doc);
    }
  }
}
