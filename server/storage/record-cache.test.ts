import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type CachedStorage, cacheRecords } from "./record-cache.js";
import { SqliteStorage } from "./sqlite.js";
import { storageContract } from "./test/contract.js";

storageContract("sqlite behind the record cache", () => cacheRecords(new SqliteStorage(":memory:")));

describe("record cache", () => {
  let inner: SqliteStorage;
  let storage: CachedStorage;
  const session = {
    id: "s1",
    packId: "demo",
    title: "Demo",
    joinCode: "ABCDEF",
    hostKeyHash: "ab".repeat(32),
    createdAt: 1,
  };
  const participant = (id: string) => ({
    id,
    sessionId: "s1",
    name: id,
    workspaceId: `w-${id}`,
    joinedAt: 2,
  });
  const workspace = (id: string) => ({ id: `w-${id}`, sessionId: "s1", createdAt: 2 });

  beforeEach(async () => {
    inner = new SqliteStorage(":memory:");
    storage = cacheRecords(inner, 3);
    await storage.createSession(session);
  });
  afterEach(() => storage.close());

  it("answers the lookups a sync connection makes from memory once a record is known", async () => {
    await storage.addParticipant(participant("p1"), workspace("p1"));
    const reads = [
      vi.spyOn(inner, "getSession"),
      vi.spyOn(inner, "getParticipant"),
      vi.spyOn(inner, "getWorkspace"),
    ];
    for (let i = 0; i < 3; i++) {
      expect(await storage.getSession("s1")).toEqual(session);
      expect(await storage.getParticipant("s1", "p1")).toEqual(participant("p1"));
      expect(await storage.getWorkspace("s1", "w-p1")).toEqual(workspace("p1"));
    }
    for (const read of reads) expect(read).not.toHaveBeenCalled();
  });

  it("reads through on a miss, keeps what it found, and never keeps a miss", async () => {
    // Stored behind the cache's back (another instance sharing Postgres does this).
    await inner.addParticipant(participant("p2"), workspace("p2"));
    const read = vi.spyOn(inner, "getParticipant");
    expect(await storage.getParticipant("s1", "nobody")).toBeNull();
    expect(await storage.getParticipant("s1", "p2")).toEqual(participant("p2"));
    expect(await storage.getParticipant("s1", "p2")).toEqual(participant("p2"));
    expect(read).toHaveBeenCalledTimes(2);
    await inner.addParticipant(participant("late"), workspace("late"));
    expect(await storage.getParticipant("s1", "late")).toEqual(participant("late"));
  });

  it("hands out copies: changing a returned record does not change the cache", async () => {
    const first = (await storage.getSession("s1"))!;
    first.title = "changed";
    expect((await storage.getSession("s1"))!.title).toBe("Demo");
  });

  it("holds at most its size per kind, dropping the oldest", async () => {
    for (const id of ["a", "b", "c", "d"]) await storage.addParticipant(participant(id), workspace(id));
    expect(storage.cachedRecords()).toEqual({ sessions: 1, participants: 3, workspaces: 3 });
    const read = vi.spyOn(inner, "getParticipant");
    expect(await storage.getParticipant("s1", "a")).toEqual(participant("a"));
    expect(read).toHaveBeenCalledTimes(1);
  });
});
