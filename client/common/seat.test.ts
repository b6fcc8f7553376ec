import { describe, expect, it } from "vitest";
import {
  forgetSeat,
  hostKeyFor,
  hostKeyFromFragment,
  saveHostKey,
  saveSeat,
  seatForCode,
  seatForSession,
} from "./seat.js";

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

const seat = {
  sessionId: "s1",
  participantId: "p1",
  workspaceId: "w1",
  token: "t",
  joinCode: "ABC234",
  name: "ada",
};

describe("seat storage", () => {
  it("finds a seat by session and by join code (any case), and forgets it", () => {
    const storage = new MemoryStorage();
    saveSeat(storage, seat);
    expect(seatForSession(storage, "s1")).toEqual(seat);
    expect(seatForCode(storage, "abc234")).toEqual(seat);
    forgetSeat(storage, "s1");
    expect(seatForSession(storage, "s1")).toBeNull();
    expect(seatForCode(storage, "ABC234")).toBeNull();
  });
  it("treats corrupt entries as absent", () => {
    const storage = new MemoryStorage();
    storage.setItem("scratchroom:seat:s1", "{not json");
    expect(seatForSession(storage, "s1")).toBeNull();
  });
  it("keeps host keys per session and reads them from the URL fragment", () => {
    const storage = new MemoryStorage();
    saveHostKey(storage, "s1", "k1");
    expect(hostKeyFor(storage, "s1")).toBe("k1");
    expect(hostKeyFor(storage, "s2")).toBeNull();
    expect(hostKeyFromFragment("#key=abc.def")).toBe("abc.def");
    expect(hostKeyFromFragment("#other=1")).toBeNull();
    expect(hostKeyFromFragment("")).toBeNull();
  });
});

describe("fresh seats", () => {
  it("are taken once", async () => {
    const { markSeatFresh, takeFreshSeat } = await import("./seat.js");
    markSeatFresh("s9");
    expect(takeFreshSeat("s9")).toBe(true);
    expect(takeFreshSeat("s9")).toBe(false);
  });
});
