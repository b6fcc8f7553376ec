import { describe, expect, it } from "vitest";
import { cachingAccessRecords } from "./access-cache.js";
import { SqliteStorage } from "./sqlite.js";
import type { AccessRecords, RecordStore } from "./types.js";

const SID = "s1";

/** An in-memory store with one session, Ada (w1) and Bob (w2); counts the access reads it serves. */
async function store() {
  const inner = new SqliteStorage(":memory:").records;
  await inner.createSession({
    id: SID,
    packId: "p",
    title: "t",
    joinCode: "ABC123",
    hostKeyHash: "h",
    createdAt: 1,
  });
  await inner.addParticipant(
    { id: "ada", sessionId: SID, name: "Ada", workspaceId: "w1", joinedAt: 1 },
    { id: "w1", sessionId: SID, createdAt: 1 },
  );
  await inner.addParticipant(
    { id: "bob", sessionId: SID, name: "Bob", workspaceId: "w2", joinedAt: 2 },
    { id: "w2", sessionId: SID, createdAt: 2 },
  );
  let reads = 0;
  /** Set to hold the next access read's answer until released. */
  let hold: Promise<void> | null = null;
  const counted: RecordStore = Object.create(inner) as RecordStore;
  counted.getAccessRecords = async (...args) => {
    reads++;
    const found = await inner.getAccessRecords(...args);
    if (hold) await hold;
    return found;
  };
  return {
    inner,
    counted,
    reads: () => reads,
    holdReads(): () => void {
      let release!: () => void;
      hold = new Promise((r) => (release = r));
      return () => {
        hold = null;
        release();
      };
    },
  };
}

const workspaceOf = (r: AccessRecords) => r.participant?.workspaceId;

describe("cachingAccessRecords", () => {
  it("serves a known participant's check from memory", async () => {
    const s = await store();
    const cached = cachingAccessRecords(s.counted);
    const first = await cached.getAccessRecords(SID, "bob", "w2");
    expect(s.reads()).toBe(1);
    const again = await cached.getAccessRecords(SID, "bob", "w2");
    expect(s.reads()).toBe(1);
    expect(again).toEqual(first);
    // The session doc's check (no workspace) and the API's (no workspace) are served too.
    expect(workspaceOf(await cached.getAccessRecords(SID, "bob", null))).toBe("w2");
    expect(s.reads()).toBe(1);
  });

  it("forgets a participant when pairing moves it", async () => {
    const s = await store();
    const cached = cachingAccessRecords(s.counted);
    expect(workspaceOf(await cached.getAccessRecords(SID, "bob", "w2"))).toBe("w2");
    expect(await cached.moveParticipant(SID, "bob", "w1")).toBe(true);
    expect(workspaceOf(await cached.getAccessRecords(SID, "bob", "w2"))).toBe("w1");
    // Unpaired into a new workspace.
    expect(await cached.moveParticipant(SID, "bob", "w3", { id: "w3", sessionId: SID, createdAt: 3 })).toBe(
      true,
    );
    expect(workspaceOf(await cached.getAccessRecords(SID, "bob", "w1"))).toBe("w3");
    expect((await cached.getAccessRecords(SID, "bob", "w3")).workspace).toMatchObject({ id: "w3" });
  });

  it("does not keep a read that overlapped a move", async () => {
    const s = await store();
    const cached = cachingAccessRecords(s.counted);
    const release = s.holdReads();
    // The read gets Bob in w2 from storage, then the move commits before the read's answer is in.
    const stale = cached.getAccessRecords(SID, "bob", "w2");
    await new Promise((r) => setTimeout(r, 10));
    const moved = cached.moveParticipant(SID, "bob", "w1");
    expect(await moved).toBe(true);
    release();
    expect(workspaceOf(await stale)).toBe("w2");
    // That answer was not kept: the next check reads storage and sees the move.
    expect(workspaceOf(await cached.getAccessRecords(SID, "bob", "w2"))).toBe("w1");
  });

  it("does not keep a read that started while a move was in flight", async () => {
    const s = await store();
    let finishMove!: () => void;
    const moveGate = new Promise<void>((r) => (finishMove = r));
    const slowMove: RecordStore = Object.create(s.counted) as RecordStore;
    slowMove.moveParticipant = async (...args) => {
      await moveGate;
      return s.inner.moveParticipant(...args);
    };
    const cachedSlow = cachingAccessRecords(slowMove);
    const moving = cachedSlow.moveParticipant(SID, "bob", "w1");
    // Read while the move has not reached storage: the old workspace, not to be kept.
    expect(workspaceOf(await cachedSlow.getAccessRecords(SID, "bob", "w2"))).toBe("w2");
    finishMove();
    expect(await moving).toBe(true);
    expect(workspaceOf(await cachedSlow.getAccessRecords(SID, "bob", "w2"))).toBe("w1");
  });

  it("caches nothing missing: a participant who joins later is found", async () => {
    const s = await store();
    const cached = cachingAccessRecords(s.counted);
    expect(await cached.getAccessRecords(SID, "cy", "w4")).toMatchObject({
      participant: null,
      workspace: null,
    });
    expect((await cached.getAccessRecords("s2", null, null)).session).toBeNull();
    await cached.addParticipant(
      { id: "cy", sessionId: SID, name: "Cy", workspaceId: "w4", joinedAt: 4 },
      { id: "w4", sessionId: SID, createdAt: 4 },
    );
    expect(workspaceOf(await cached.getAccessRecords(SID, "cy", "w4"))).toBe("w4");
    await cached.createSession({
      id: "s2",
      packId: "p",
      title: "t",
      joinCode: "XYZ789",
      hostKeyHash: "h",
      createdAt: 2,
    });
    expect((await cached.getAccessRecords("s2", null, null)).session).toMatchObject({ id: "s2" });
  });

  it("keeps the sessions and participants it writes, as storage returns them", async () => {
    const s = await store();
    const cached = cachingAccessRecords(s.counted);
    const session = { id: "s3", packId: "p", title: "t", joinCode: "QRS456", hostKeyHash: "h", createdAt: 3 };
    await cached.createSession(session);
    await cached.addParticipant(
      { id: "dee", sessionId: "s3", name: "Dee", workspaceId: "w5", joinedAt: 5 },
      { id: "w5", sessionId: "s3", createdAt: 5 },
    );
    const known = await cached.getAccessRecords("s3", "dee", "w5");
    expect(s.reads()).toBe(0);
    expect(known).toEqual(await s.inner.getAccessRecords("s3", "dee", "w5"));
    // A failed write keeps nothing: the same participant id again (its workspace rolled back).
    await expect(
      cached.addParticipant(
        { id: "dee", sessionId: "s3", name: "Dee", workspaceId: "w6", joinedAt: 6 },
        { id: "w6", sessionId: "s3", createdAt: 6 },
      ),
    ).rejects.toThrow();
    expect(workspaceOf(await cached.getAccessRecords("s3", "dee", null))).toBe("w5");
    expect((await cached.getAccessRecords("s3", "dee", "w6")).workspace).toBeNull();
  });

  it("keeps at most its limit of entries, the oldest dropped first", async () => {
    const s = await store();
    const cached = cachingAccessRecords(s.counted, 1);
    await cached.getAccessRecords(SID, "ada", null);
    await cached.getAccessRecords(SID, "bob", null);
    expect(s.reads()).toBe(2);
    await cached.getAccessRecords(SID, "bob", null);
    expect(s.reads()).toBe(2);
    await cached.getAccessRecords(SID, "ada", null);
    expect(s.reads()).toBe(3);
  });

  it("hands out records that cannot be changed in place", async () => {
    const s = await store();
    const cached = cachingAccessRecords(s.counted);
    await cached.getAccessRecords(SID, "bob", "w2");
    const { participant } = await cached.getAccessRecords(SID, "bob", "w2");
    expect(() => {
      (participant as { workspaceId: string }).workspaceId = "w1";
    }).toThrow();
  });
});
