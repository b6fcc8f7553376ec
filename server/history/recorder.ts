/**
 * The history recorder: keeps versions of every workspace doc's files (storage `addSnapshot`).
 *
 * - At a run: the run's file, linked to the run (even when unchanged since the last version).
 * - While editing: every `intervalMs` (a minute by default), each workspace doc edited since the
 *   last tick, or loaded since; and once more when an edited doc leaves memory or the server shuts
 *   down.
 *
 * Versions are taken from the doc in this instance's memory; storage keeps only changed texts (as
 * deltas), so two instances holding the same doc store each version once.
 */
import { parseDocName, workspaceDocName } from "../../contract/doc-names.js";
import { readFiles } from "../../contract/session-doc.js";
import type { Logger } from "../logger.js";
import type { SnapshotInfo, RecordStore } from "../storage/types.js";
import type { RoomObserver, RoomRegistry } from "../sync/registry.js";
import type { Room } from "../sync/room.js";

export interface HistoryRecorderOptions {
  /** Most time between an edit and the version that keeps it, in ms. */
  intervalMs: number;
}

export class HistoryRecorder implements RoomObserver {
  /** Workspace rooms edited since their last version, by doc name. */
  private readonly edited = new Map<string, Room>();
  private readonly listeners = new Map<Room, () => void>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly storage: RecordStore,
    private readonly rooms: RoomRegistry,
    options: HistoryRecorderOptions,
    private readonly log: Logger,
  ) {
    rooms.observe(this);
    this.timer = setInterval(() => void this.tick(), options.intervalMs);
    this.timer.unref();
  }

  loaded(room: Room): void {
    if (parseDocName(room.name)?.kind !== "workspace") return;
    const onUpdate = () => this.edited.set(room.name, room);
    room.doc.on("update", onUpdate);
    this.listeners.set(room, onUpdate);
    // Edits stored but not kept as a version (the last minute before a kill -9, or edits made on an
    // instance that is gone) get their version at the next tick; an unchanged text stores nothing.
    onUpdate();
  }

  unloaded(room: Room): void {
    const onUpdate = this.listeners.get(room);
    if (!onUpdate) return;
    room.doc.off("update", onUpdate);
    this.listeners.delete(room);
    // The doc is still readable here (it is destroyed after the observers ran).
    if (this.edited.get(room.name) === room) void this.keep(room);
  }

  /** Keeps a version of every edited workspace doc now. */
  async tick(): Promise<void> {
    await Promise.all([...this.edited.values()].map((room) => this.keep(room)));
  }

  /** Keeps the version of `file` a run was made at, linked to the run. */
  async atRun(
    sessionId: string,
    workspaceId: string,
    file: string,
    runId: number,
  ): Promise<SnapshotInfo | null> {
    const text = await this.rooms.read(
      workspaceDocName(sessionId, workspaceId),
      (room) => readFiles(room.doc)[file],
    );
    if (text === undefined) return null;
    return this.track(
      this.storage
        .addSnapshot({ sessionId, workspaceId, file, at: Date.now(), runId, text })
        .catch((err: unknown) => {
          // The run itself is stored; its version is the one thing lost.
          this.log.error({ err, sessionId, workspaceId, runId }, "keeping a run's history version failed");
          return null;
        }),
    );
  }

  /** Stops the timer and waits for every version being stored (call after the rooms closed). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.tick();
    await Promise.allSettled([...this.pending]);
  }

  /** Stores a version of each file of `room` (unchanged ones store nothing). */
  private keep(room: Room): Promise<unknown> {
    const name = parseDocName(room.name);
    if (name?.kind !== "workspace") return Promise.resolve();
    this.edited.delete(room.name);
    const files = readFiles(room.doc);
    const at = Date.now();
    return this.track(
      Promise.all(
        Object.entries(files).map(([file, text]) =>
          this.storage.addSnapshot({
            sessionId: name.sessionId,
            workspaceId: name.workspaceId,
            file,
            at,
            runId: null,
            text,
          }),
        ),
      ).catch((err: unknown) => {
        // Kept for the next tick: the doc still holds the edits.
        if (this.listeners.has(room)) this.edited.set(room.name, room);
        this.log.error({ err, doc: room.name }, "keeping a history version failed");
      }),
    );
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work)).catch(() => undefined);
    return work;
  }
}
