import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStorage } from "./sqlite.js";
import { storageContract } from "./test/contract.js";

storageContract("sqlite (memory)", () => new SqliteStorage(":memory:"));

describe("SqliteStorage on disk", () => {
  const dir = mkdtempSync(join(tmpdir(), "scratchroom-sqlite-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps data across reopen", async () => {
    const a = SqliteStorage.open(dir);
    await a.createSession({
      id: "s1",
      packId: "demo",
      title: "T",
      joinCode: "ABCDEF",
      hostKeyHash: "h",
      createdAt: 1,
    });
    await a.appendUpdates([{ doc: "session/s1", update: new Uint8Array([1, 2, 3]) }]);
    await a.close();
    const b = SqliteStorage.open(dir);
    expect((await b.getSession("s1"))?.joinCode).toBe("ABCDEF");
    expect(Array.from((await b.loadDoc("session/s1")).updates[0]!)).toEqual([1, 2, 3]);
    await b.close();
  });
});
