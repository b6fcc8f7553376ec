/**
 * The room registry: which docs are in memory, loading them from the update log on first use and
 * evicting them (after flushing) once nobody has held them for a grace period.
 *
 * This is the seam for scale-out: a relay (Redis, server/relay) observes rooms here as they load
 * and unload, and may hold a loading room back until it has synced with other instances.
 */
import type { Logger } from "../logger.js";
import type { DocumentStore } from "../storage/types.js";
import type { UpdateLog } from "../storage/update-log.js";
import { Room } from "./room.js";

export interface RoomRegistryOptions {
  graceMs: number;
}

/** Hooks for something that must follow rooms (a relay between instances, metrics). */
export interface RoomObserver {
  /** A room was loaded from storage; a returned promise delays serving it until it settles. */
  loaded?(room: Room): void | Promise<void>;
  unloaded?(room: Room): void;
}

export class RoomRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly evictTimers = new Map<string, NodeJS.Timeout>();
  private readonly observers: RoomObserver[] = [];
  private closed = false;

  constructor(
    private readonly storage: DocumentStore,
    private readonly updateLog: UpdateLog,
    private readonly options: RoomRegistryOptions,
    private readonly log: Logger,
  ) {
    updateLog.useLiveState((name) => {
      const room = this.rooms.get(name);
      // The same encoding fresh joiners get (Room.fullState), not a second one per flush.
      return room ? room.fullState() : null;
    });
  }

  observe(observer: RoomObserver): void {
    this.observers.push(observer);
  }

  /** Names of the docs in memory. */
  loadedNames(): string[] {
    return [...this.rooms.keys()];
  }

  /** The named doc if it is in memory now (never loads it). */
  loaded(name: string): Room | undefined {
    return this.rooms.get(name);
  }

  /** Holds the named doc in memory, loading it if needed. Pair with {@link release}. */
  async acquire(name: string): Promise<Room> {
    if (this.closed) throw new Error("room registry is closed");
    const room = this.rooms.get(name) ?? (await this.load(name));
    room.refs++;
    const timer = this.evictTimers.get(name);
    if (timer) {
      clearTimeout(timer);
      this.evictTimers.delete(name);
    }
    return room;
  }

  release(room: Room): void {
    room.refs--;
    if (room.refs > 0 || this.closed || this.evictTimers.has(room.name)) return;
    this.evictTimers.set(
      room.name,
      setTimeout(() => void this.evict(room), this.options.graceMs),
    );
  }

  /** Runs `change` on the named doc (loading it if needed); its updates are persisted and fanned out. */
  async change(name: string, change: (room: Room) => void): Promise<void> {
    const room = await this.acquire(name);
    try {
      room.doc.transact(() => change(room), "server");
    } finally {
      this.release(room);
    }
  }

  /** Reads the named doc (loading it if needed). */
  async read<T>(name: string, read: (room: Room) => T): Promise<T> {
    const room = await this.acquire(name);
    try {
      return read(room);
    } finally {
      this.release(room);
    }
  }

  /** Writes every pending update to storage. */
  flush(): Promise<void> {
    return this.updateLog.flush();
  }

  /** Flushes pending updates and drops every room. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.evictTimers.values()) clearTimeout(timer);
    this.evictTimers.clear();
    await Promise.allSettled(this.loading.values());
    await this.updateLog.flush();
    for (const room of this.rooms.values()) this.unload(room);
  }

  private load(name: string): Promise<Room> {
    let pending = this.loading.get(name);
    if (!pending) {
      pending = (async () => {
        const room = new Room(name, (update) => this.updateLog.append(name, update));
        try {
          const { updates } = await this.storage.loadDoc(name);
          room.load(updates);
          this.updateLog.noteLoaded(name, updates.length);
        } catch (err) {
          room.destroy();
          throw err;
        }
        await Promise.all(this.observers.map((o) => o.loaded?.(room)));
        this.rooms.set(name, room);
        this.log.debug({ doc: name }, "room loaded");
        return room;
      })().finally(() => this.loading.delete(name));
      this.loading.set(name, pending);
    }
    return pending;
  }

  private async evict(room: Room): Promise<void> {
    this.evictTimers.delete(room.name);
    if (room.refs > 0 || this.rooms.get(room.name) !== room) return;
    try {
      await this.updateLog.flush();
    } catch (err) {
      this.log.error({ err, doc: room.name }, "flush before eviction failed; keeping room");
      return;
    }
    // Someone may have picked the room up while we flushed.
    if (room.refs > 0 || this.closed) return;
    this.unload(room);
    this.log.debug({ doc: room.name }, "room evicted");
  }

  private unload(room: Room): void {
    this.rooms.delete(room.name);
    this.updateLog.forget(room.name);
    for (const o of this.observers) o.unloaded?.(room);
    room.destroy();
  }
}
