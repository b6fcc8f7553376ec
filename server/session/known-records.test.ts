import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SqliteStorage } from "../storage/sqlite.js";
import type { Storage } from "../storage/types.js";
import { forgetMovedParticipants, KnownRecords } from "./known-records.js";

describe("known records (sync upgrades' token checks)", () => {
  let inner: SqliteStorage;
  let known: KnownRecords;
  let storage: Storage;
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
    known = new KnownRecords(inner, 3);
    storage = forgetMovedParticipants(inner, known);
    await storage.createSession(session);
    await storage.addParticipant(participant("ada"), workspace("ada"));
    await storage.addParticipant(participant("bob"), workspace("bob"));
  });
  afterEach(() => storage.close());

  it("reads each record from storage once, then answers a known participant from memory", async () => {
    const reads = [
      vi.spyOn(inner, "getSession"),
      vi.spyOn(inner, "getParticipant"),
      vi.spyOn(inner, "getWorkspace"),
    ];
    for (let i = 0; i < 3; i++) {
      expect(await known.session("s1")).toEqual(session);
      expect(await known.participant("s1", "ada")).toEqual(participant("ada"));
      expect(await known.workspaceExists("s1", "w-ada")).toBe(true);
    }
    for (const read of reads) expect(read).toHaveBeenCalledTimes(1);
  });

  it("keeps no miss: a participant stored later is found", async () => {
    expect(await known.participant("s1", "cy")).toBeNull();
    expect(await known.workspaceExists("s1", "w-cy")).toBe(false);
    await storage.addParticipant(participant("cy"), workspace("cy"));
    expect(await known.participant("s1", "cy")).toEqual(participant("cy"));
    expect(await known.workspaceExists("s1", "w-cy")).toBe(true);
  });

  it("forgets a participant that pairing moves, so its next check sees the new workspace", async () => {
    expect((await known.participant("s1", "bob"))!.workspaceId).toBe("w-bob");
    expect(await storage.moveParticipant("s1", "bob", "w-ada")).toBe(true);
    expect((await known.participant("s1", "bob"))!.workspaceId).toBe("w-ada");
    // Ada, who did not move, is still answered from memory.
    await known.participant("s1", "ada");
    const read = vi.spyOn(inner, "getParticipant");
    await known.participant("s1", "ada");
    expect(read).not.toHaveBeenCalled();
  });

  it("does not keep a read that was in flight when the participant was forgotten", async () => {
    const pending = known.participant("s1", "bob");
    // Another instance moved Bob (its relayed pairs event lands here) while the read was out.
    await inner.moveParticipant("s1", "bob", "w-ada");
    known.forgetParticipant("s1", "bob");
    await pending;
    expect((await known.participant("s1", "bob"))!.workspaceId).toBe("w-ada");
  });

  it("holds at most its size per kind, dropping the oldest", async () => {
    for (const id of ["c", "d", "e"]) await storage.addParticipant(participant(id), workspace(id));
    for (const id of ["ada", "bob", "c", "d", "e"]) await known.participant("s1", id);
    expect(known.size().participants).toBe(3);
    const read = vi.spyOn(inner, "getParticipant");
    await known.participant("s1", "ada");
    expect(read).toHaveBeenCalledTimes(1);
  });

  it("keeps its own copy, which nobody can change", async () => {
    const first = (await known.participant("s1", "ada"))!;
    first.workspaceId = "w-bob";
    const kept = (await known.participant("s1", "ada"))!;
    expect(kept.workspaceId).toBe("w-ada");
    expect(() => {
      kept.workspaceId = "w-bob";
    }).toThrow(TypeError);
    expect((await known.participant("s1", "ada"))!.workspaceId).toBe("w-ada");
  });
});
