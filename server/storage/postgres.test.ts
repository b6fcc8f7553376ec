import { rmSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { describeWith } from "../../test/support/requirements.js";
import { startTestServer, tempDataDir } from "../../support/server.js";
import { isPostgresUrl, MIGRATIONS, migrate, PostgresStorage } from "./postgres.js";
import { storageContract } from "./test/contract.js";
import { historyChainSuite } from "./test/history-chains.js";
import { createTestSchema, type TestSchema } from "../../support/pg-schema.js";

describe("isPostgresUrl", () => {
  it("recognises postgres:// and postgresql:// only", () => {
    expect(isPostgresUrl("postgres://u@h/db")).toBe(true);
    expect(isPostgresUrl("postgresql://u@h/db")).toBe(true);
    expect(isPostgresUrl("mysql://u@h/db")).toBe(false);
    expect(isPostgresUrl("/var/data/x.db")).toBe(false);
  });

  it("refuses to start with a DATABASE_URL it cannot use", async () => {
    const dataDir = tempDataDir();
    try {
      await expect(startTestServer({ dataDir, databaseUrl: "mysql://u@h/db" })).rejects.toThrow(
        /postgres:\/\//,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

await describeWith(["postgres"], "PostgresStorage", () => {
  let schema: TestSchema;
  beforeAll(async () => {
    schema = await createTestSchema("contract");
  });
  afterAll(async () => {
    await schema.drop();
  });

  storageContract("postgres", () => PostgresStorage.connect(schema.url, 4));
  historyChainSuite("postgres", {
    open: () => PostgresStorage.connect(schema.url, 2),
    query: async (sql) => {
      const client = new pg.Client({ connectionString: schema.url });
      await client.connect();
      try {
        return (await client.query<Record<string, unknown>>(sql)).rows;
      } finally {
        await client.end();
      }
    },
  });

  it("applies each migration once, even when instances start together", async () => {
    const fresh = await createTestSchema("migrate");
    try {
      const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: fresh.url, max: 1 }));
      const applied = await Promise.all(pools.map((p) => migrate(p)));
      // Exactly one of the racing instances applied the migrations; the others found them done.
      expect(applied.flat().sort()).toEqual(MIGRATIONS.map((m) => m.version));
      const { rows } = await pools[0]!.query<{ version: number }>(
        "SELECT version FROM schema_migrations ORDER BY version",
      );
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await migrate(pools[0]!)).toEqual([]);
      await Promise.all(pools.map((p) => p.end()));
    } finally {
      await fresh.drop();
    }
  });

  it("appends a large batch in order, all or nothing", async () => {
    const storage = await PostgresStorage.connect(schema.url, 2);
    try {
      const doc = `workspace/batch${Date.now()}/w`;
      const updates = Array.from({ length: 300 }, (_, i) => ({ doc, update: new Uint8Array([i % 256, 1]) }));
      await storage.documents.appendUpdates(updates);
      expect(await storage.documents.countUpdates(doc)).toBe(300);
      const log = await storage.documents.loadDoc(doc);
      expect(log.updates.map((u) => u[0])).toEqual(updates.map((u) => u.update[0]));
      // One bad entry (a NULL doc name violates NOT NULL) fails the whole batch.
      const broken = [
        { doc, update: new Uint8Array([7]) },
        { doc: null as unknown as string, update: new Uint8Array([8]) },
      ];
      await expect(storage.documents.appendUpdates(broken)).rejects.toThrow();
      expect(await storage.documents.countUpdates(doc)).toBe(300);
    } finally {
      await storage.close();
    }
  });

  it("keeps a row another instance committed below throughSeq after the log was read", async () => {
    const a = await PostgresStorage.connect(schema.url, 2);
    const b = await PostgresStorage.connect(schema.url, 2);
    try {
      const doc = `workspace/late${Date.now()}/w`;
      const ydoc = new Y.Doc();
      const updates: Uint8Array[] = [];
      ydoc.on("update", (u: Uint8Array) => updates.push(u));
      const text = ydoc.getText("t");
      for (const ch of "abc") text.insert(text.length, ch);
      await a.documents.appendUpdates(updates.slice(0, 2).map((update) => ({ doc, update })));
      const read = await a.documents.loadDoc(doc);
      // B appends after A read the log; compaction through a later seq must keep B's row's content.
      await b.documents.appendUpdates([{ doc, update: updates[2]! }]);
      const all = await b.documents.loadDoc(doc);
      await a.documents.compactDoc(doc, Y.mergeUpdates(read.updates), all.lastSeq);
      expect(await a.documents.countUpdates(doc)).toBe(1);
      const restored = new Y.Doc();
      for (const u of (await a.documents.loadDoc(doc)).updates) Y.applyUpdate(restored, u);
      expect(restored.getText("t").toString()).toBe("abc");
    } finally {
      await a.close();
      await b.close();
    }
  });
});
