import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import Database from "better-sqlite3";
import { pendingMigrations } from "./migrations.js";
import { migrateSqlite, SQLITE_MIGRATIONS, SqliteStorage } from "./sqlite.js";
import { withAccessCache } from "./access-cache.js";
import { storageContract } from "./test/contract.js";
import { historyChainSuite } from "./test/history-chains.js";

const contractDir = mkdtempSync(join(tmpdir(), "scratchroom-sqlite-contract-"));
afterAll(() => rmSync(contractDir, { recursive: true, force: true }));
let contractFiles = 0;
/** A fresh file opened as the server opens it (checkpoints and merges of unloaded docs off the loop). */
const asServerOpensIt = () => SqliteStorage.open(join(contractDir, String(++contractFiles)));

storageContract("sqlite (memory)", () => new SqliteStorage(":memory:"));
storageContract("sqlite (file, as the server opens it)", asServerOpensIt);
storageContract("sqlite (file, as the server opens it, access cache)", () =>
  withAccessCache(asServerOpensIt()),
);

describe("SqliteStorage history over one file", () => {
  const dir = mkdtempSync(join(tmpdir(), "scratchroom-sqlite-history-"));
  const file = join(dir, "history.db");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  historyChainSuite("sqlite", {
    open: async () => new SqliteStorage(file),
    query: async (sql) => {
      const db = new Database(file);
      try {
        const statement = db.prepare(sql);
        return statement.reader ? (statement.all() as Record<string, unknown>[]) : (statement.run(), []);
      } finally {
        db.close();
      }
    },
  });
});

describe("SqliteStorage.compactLog with a live state", () => {
  it("stores the state in place of the rows, after which new rows still sort", async () => {
    const storage = new SqliteStorage(":memory:");
    const ydoc = new Y.Doc();
    const updates: Uint8Array[] = [];
    ydoc.on("update", (u: Uint8Array) => updates.push(u));
    for (const ch of "live") ydoc.getText("t").insert(ydoc.getText("t").length, ch);
    await storage.documents.appendUpdates(updates.map((update) => ({ doc: "d", update })));
    const state = Y.encodeStateAsUpdate(ydoc);
    expect(await storage.documents.compactLog("d", state)).toBe(4);
    expect((await storage.documents.loadDoc("d")).updates.map((u) => Array.from(u))).toEqual([
      Array.from(state),
    ]);
    expect(await storage.documents.compactLog("d", state)).toBe(0);
    ydoc.getText("t").insert(0, ">");
    await storage.documents.appendUpdates([{ doc: "d", update: updates.at(-1)! }]);
    const restored = new Y.Doc();
    for (const u of (await storage.documents.loadDoc("d")).updates) Y.applyUpdate(restored, u);
    expect(restored.getText("t").toString()).toBe(">live");
    await storage.close();
  });
});

describe("SqliteStorage on disk", () => {
  const dir = mkdtempSync(join(tmpdir(), "scratchroom-sqlite-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps data across reopen", async () => {
    const a = SqliteStorage.open(dir);
    await a.records.createSession({
      id: "s1",
      packId: "demo",
      title: "T",
      joinCode: "ABCDEF",
      hostKeyHash: "h",
      createdAt: 1,
    });
    await a.documents.appendUpdates([{ doc: "session/s1", update: new Uint8Array([1, 2, 3]) }]);
    await a.close();
    const b = SqliteStorage.open(dir);
    expect((await b.records.getSession("s1"))?.joinCode).toBe("ABCDEF");
    expect(Array.from((await b.documents.loadDoc("session/s1")).updates[0]!)).toEqual([1, 2, 3]);
    await b.close();
  });

  it("reports errors as rejections", async () => {
    const s = SqliteStorage.open(dir);
    const session = {
      id: "s2",
      packId: "demo",
      title: "T",
      joinCode: "QQQQQQ",
      hostKeyHash: "h",
      createdAt: 1,
    };
    await s.records.createSession(session);
    await expect(s.records.createSession(session)).rejects.toThrow(/UNIQUE/);
    expect(await s.records.getSession("s2")).toEqual(session);
    await s.close();
  });
});

describe("SQLite migrations", () => {
  it("applies each migration once and records it, like PostgreSQL's", () => {
    const db = new Database(":memory:");
    expect(migrateSqlite(db)).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
    expect(migrateSqlite(db)).toEqual([]);
    expect(db.prepare("SELECT version FROM schema_migrations ORDER BY version").pluck().all()).toEqual(
      SQLITE_MIGRATIONS.map((m) => m.version),
    );
    db.close();
  });
  it("a database made before versioning adopts version 1 with its rows intact, then takes the later ones", () => {
    const db = new Database(":memory:");
    db.exec(SQLITE_MIGRATIONS[0]!.sql);
    db.prepare(
      "INSERT INTO sessions (id, pack_id, title, join_code, host_key_hash, created_at) VALUES ('s', 'p', 't', 'ABCDEF', 'h', 1)",
    ).run();
    expect(migrateSqlite(db)).toEqual(SQLITE_MIGRATIONS.map((m) => m.version));
    expect(db.prepare("SELECT join_code FROM sessions WHERE id = 's'").pluck().get()).toBe("ABCDEF");
    db.close();
  });
  it("orders pending migrations by version and skips applied ones", () => {
    const m = (version: number) => ({ version, name: `m${version}`, sql: "" });
    expect(pendingMigrations([m(3), m(1), m(2)], [2]).map((x) => x.version)).toEqual([1, 3]);
  });
});
