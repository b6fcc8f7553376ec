import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { createLogger } from "../logger.js";
import { SqliteStorage } from "./sqlite.js";
import { UpdateLog } from "./update-log.js";

function typed(text: string): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => updates.push(u));
  const t = doc.getText("t");
  for (const ch of text) t.insert(t.length, ch);
  return { doc, updates };
}

describe("UpdateLog", () => {
  let storage: SqliteStorage;
  beforeEach(() => {
    storage = new SqliteStorage(":memory:");
  });
  afterEach(async () => {
    vi.useRealTimers();
    await storage.close();
  });

  it("writes appends in one batch within the flush window, not before", async () => {
    vi.useFakeTimers();
    const spy = vi.spyOn(storage.documents, "appendUpdates");
    const log = new UpdateLog(
      storage.documents,
      { flushIntervalMs: 250, compactAfterUpdates: 1000 },
      createLogger("silent"),
    );
    const { updates } = typed("abc");
    for (const u of updates) log.append("d", u);
    await vi.advanceTimersByTimeAsync(200);
    expect(spy).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(await storage.documents.countUpdates("d")).toBe(3);
  });

  it("flush() writes everything pending at once", async () => {
    const log = new UpdateLog(
      storage.documents,
      { flushIntervalMs: 10_000, compactAfterUpdates: 1000 },
      createLogger("silent"),
    );
    const { updates } = typed("hi");
    for (const u of updates) log.append("d", u);
    await log.flush();
    expect(await storage.documents.countUpdates("d")).toBe(2);
  });

  it("compacts a doc's log past the threshold without losing content", async () => {
    const log = new UpdateLog(
      storage.documents,
      { flushIntervalMs: 10_000, compactAfterUpdates: 10 },
      createLogger("silent"),
    );
    const { updates } = typed("hello world, compacted");
    for (const u of updates.slice(0, 8)) log.append("d", u);
    await log.flush();
    expect(await storage.documents.countUpdates("d")).toBe(8);
    for (const u of updates.slice(8)) log.append("d", u);
    await log.flush();
    expect(await storage.documents.countUpdates("d")).toBe(1);
    const restored = new Y.Doc();
    for (const u of (await storage.documents.loadDoc("d")).updates) Y.applyUpdate(restored, u);
    expect(restored.getText("t").toString()).toBe("hello world, compacted");
  });

  it("without a loaded doc, leaves the merge to the storage (SQLite: a short-lived worker)", async () => {
    const log = new UpdateLog(
      storage.documents,
      { flushIntervalMs: 10_000, compactAfterUpdates: 5 },
      createLogger("silent"),
    );
    const load = vi.spyOn(storage.documents, "loadDoc");
    const compactLog = vi.spyOn(storage.documents, "compactLog");
    const { updates } = typed("on the storage side");
    for (const u of updates) log.append("d", u);
    await log.flush();
    expect(compactLog).toHaveBeenCalledWith("d", undefined);
    expect(load).not.toHaveBeenCalled();
    expect(await storage.documents.countUpdates("d")).toBe(1);
  });

  it("compacts a loaded doc from its live state: the stored rows are neither read nor merged", async () => {
    const log = new UpdateLog(
      storage.documents,
      { flushIntervalMs: 10_000, compactAfterUpdates: 5 },
      createLogger("silent"),
    );
    const { doc, updates } = typed("from the live doc");
    log.useLiveState((name) => (name === "d" ? Y.encodeStateAsUpdate(doc) : null));
    const read = vi.spyOn(storage.documents, "loadDoc");
    const compactLog = vi.spyOn(storage.documents, "compactLog");
    for (const u of updates) log.append("d", u);
    await log.flush();
    expect(compactLog).toHaveBeenCalledTimes(1);
    expect(compactLog.mock.calls[0]![1]).toBeInstanceOf(Uint8Array);
    expect(read).not.toHaveBeenCalled();
    const stored = (await storage.documents.loadDoc("d")).updates;
    expect(stored).toHaveLength(1);
    expect(Array.from(stored[0]!)).toEqual(Array.from(Y.encodeStateAsUpdate(doc)));
  });

  it("compacts the docs a flush took past the threshold one per turn of the event loop", async () => {
    const log = new UpdateLog(
      storage.documents,
      { flushIntervalMs: 10_000, compactAfterUpdates: 5 },
      createLogger("silent"),
    );
    const docs = ["a", "b", "c"];
    const live = new Map(docs.map((name) => [name, typed(`typed into ${name}`)]));
    log.useLiveState((name) => Y.encodeStateAsUpdate(live.get(name)!.doc));
    for (const [name, { updates }] of live) for (const u of updates) log.append(name, u);
    // What ran, in order: each compaction, and a mark of every event-loop turn (the timers phase).
    const order: string[] = [];
    const compactLog = storage.documents.compactLog.bind(storage.documents);
    vi.spyOn(storage.documents, "compactLog").mockImplementation((doc, state) => {
      order.push(`compact ${doc}`);
      return compactLog(doc, state);
    });
    let turns = 0;
    const ticking = setInterval(() => order.push(`turn ${++turns}`), 0);
    await log.flush();
    clearInterval(ticking);
    // Not back to back: the input read between them (a keystroke, a join) waits for one at most.
    const compactions = order.flatMap((e, i) => (e.startsWith("compact") ? [i] : []));
    expect(compactions).toHaveLength(3);
    for (let k = 1; k < compactions.length; k++)
      expect(compactions[k]! - compactions[k - 1]!).toBeGreaterThan(1);
    for (const [name, { doc }] of live) {
      const stored = (await storage.documents.loadDoc(name)).updates;
      expect(stored).toHaveLength(1);
      expect(Array.from(stored[0]!)).toEqual(Array.from(Y.encodeStateAsUpdate(doc)));
    }
  });

  it("keeps a failed batch and writes it on the next flush", async () => {
    const log = new UpdateLog(
      storage.documents,
      { flushIntervalMs: 10_000, compactAfterUpdates: 1000 },
      createLogger("silent"),
    );
    const spy = vi.spyOn(storage.documents, "appendUpdates").mockRejectedValueOnce(new Error("disk full"));
    const { updates } = typed("ab");
    for (const u of updates) log.append("d", u);
    await log.flush();
    expect(await storage.documents.countUpdates("d")).toBe(0);
    await log.flush();
    expect(spy).toHaveBeenCalledTimes(2);
    expect(await storage.documents.countUpdates("d")).toBe(2);
  });
});
