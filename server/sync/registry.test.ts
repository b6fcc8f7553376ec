import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { createLogger } from "../logger.js";
import { SqliteStorage } from "../storage/sqlite.js";
import { UpdateLog } from "../storage/update-log.js";
import { until } from "../../support/server.js";
import { RoomRegistry } from "./registry.js";

describe("RoomRegistry", () => {
  let storage: SqliteStorage;
  let log: UpdateLog;
  let rooms: RoomRegistry;
  const silent = createLogger("silent");

  beforeEach(() => {
    storage = new SqliteStorage(":memory:");
    log = new UpdateLog(storage.documents, { flushIntervalMs: 10_000, compactAfterUpdates: 1000 }, silent);
    rooms = new RoomRegistry(storage.documents, log, { graceMs: 50 }, silent);
  });
  afterEach(async () => {
    await rooms.close().catch(() => undefined);
    await storage.close();
  });

  it("loads a doc once for concurrent acquires", async () => {
    const spy = vi.spyOn(storage.documents, "loadDoc");
    const [a, b] = await Promise.all([rooms.acquire("d"), rooms.acquire("d")]);
    expect(a).toBe(b);
    expect(a.refs).toBe(2);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it("compacts a loaded doc's log from the doc in memory", async () => {
    const compacting = new UpdateLog(
      storage.documents,
      { flushIntervalMs: 10_000, compactAfterUpdates: 3 },
      silent,
    );
    const registry = new RoomRegistry(storage.documents, compacting, { graceMs: 10_000 }, silent);
    const room = await registry.acquire("big");
    for (const ch of "many keystrokes") room.doc.getText("t").insert(room.doc.getText("t").length, ch);
    const compactLog = vi.spyOn(storage.documents, "compactLog");
    await registry.flush();
    expect(compactLog).toHaveBeenCalledWith("big", Y.encodeStateAsUpdate(room.doc));
    const stored = (await storage.documents.loadDoc("big")).updates;
    expect(stored.map((u) => Array.from(u))).toEqual([Array.from(Y.encodeStateAsUpdate(room.doc))]);
    registry.release(room);
    await registry.close();
  });

  it("persists changes and restores them after eviction", async () => {
    await rooms.change("d", (room) => room.doc.getText("t").insert(0, "hello"));
    expect(rooms.loadedNames()).toEqual(["d"]);
    // The flush window is 10 s: only the flush before eviction can store the change.
    await until(() => rooms.loadedNames().length === 0, 2000, "eviction");
    expect(await storage.documents.countUpdates("d")).toBe(1);
    const text = await rooms.read("d", (room) => room.doc.getText("t").toString());
    expect(text).toBe("hello");
  });

  it("keeps a room that is picked up again during its grace period", async () => {
    const room = await rooms.acquire("d");
    rooms.release(room);
    const again = await rooms.acquire("d");
    expect(again).toBe(room);
    await new Promise((r) => setTimeout(r, 120));
    expect(rooms.loadedNames()).toEqual(["d"]);
    rooms.release(again);
  });

  it("does not persist what it loaded, and tells observers about loads and unloads", async () => {
    const seed = new Y.Doc();
    seed.getText("t").insert(0, "stored");
    await storage.documents.appendUpdates([{ doc: "d", update: Y.encodeStateAsUpdate(seed) }]);
    const events: string[] = [];
    rooms.observe({
      loaded: (r) => {
        events.push(`+${r.name}`);
      },
      unloaded: (r) => {
        events.push(`-${r.name}`);
      },
    });
    expect(await rooms.read("d", (r) => r.doc.getText("t").toString())).toBe("stored");
    await rooms.flush();
    expect(await storage.documents.countUpdates("d")).toBe(1);
    await until(() => events.length === 2, 2000);
    expect(events).toEqual(["+d", "-d"]);
  });

  it("close() flushes everything and refuses new rooms", async () => {
    await rooms.change("d", (room) => room.doc.getText("t").insert(0, "x"));
    await rooms.close();
    expect(await storage.documents.countUpdates("d")).toBe(1);
    await expect(rooms.acquire("e")).rejects.toThrow(/closed/);
  });
});
