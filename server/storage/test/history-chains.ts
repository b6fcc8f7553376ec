/**
 * How a driver reads and writes history chains (storage/history.ts), as a reusable suite over one
 * database opened by several storage instances, with raw SQL to damage or plant rows: a version is
 * read from its nearest keyframe and nothing before it; the next version is written from the cached
 * head, or from the chain when another instance wrote since; rows stored before keyframes existed
 * still read, and their file gets a keyframe at its next version.
 */
import { afterEach, describe, expect, it } from "vitest";
import { KEYFRAME_EVERY, textDelta } from "../history.js";
import type { SnapshotInfo, Storage } from "../types.js";

/** One database the suite opens instances of, and queries directly. */
export interface ChainDatabase {
  /** A new storage instance over the database. */
  open(): Promise<Storage>;
  /** Runs SQL on the database (plain statements, the same for SQLite and PostgreSQL). */
  query(sql: string): Promise<Record<string, unknown>[]>;
}

let counter = 0;
const uid = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

/** Version `v` of a 30-line file: a few lines differ from version to version. */
const textAt = (v: number) =>
  Array.from({ length: 30 }, (_, i) => `  const line${i} = ${i % 4 === v % 4 ? v : i};\n`).join("");

export function historyChainSuite(name: string, db: ChainDatabase): void {
  describe(`history chains: ${name}`, () => {
    const opened: Storage[] = [];
    const open = async () => {
      const storage = await db.open();
      opened.push(storage);
      return storage;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    async function newSession(storage: Storage): Promise<string> {
      const id = uid("s");
      await storage.records.createSession({
        id,
        packId: "demo",
        title: "Demo",
        joinCode: uid("H").slice(-12).toUpperCase(),
        hostKeyHash: "ab".repeat(32),
        createdAt: 1,
      });
      return id;
    }

    const keep = (storage: Storage, sessionId: string, v: number, text = textAt(v)) =>
      storage.records.addSnapshot({ sessionId, workspaceId: "w", file: "t", at: v, runId: null, text });

    it("adds versions from instances in turn, each building on the other's latest", async () => {
      const [a, b] = [await open(), await open()];
      const sid = await newSession(a);
      const kept: SnapshotInfo[] = [];
      // a, b, a (its cached head is stale), a (its head is current), b.
      for (const [v, storage] of [a, b, a, a, b].entries()) kept.push((await keep(storage, sid, v))!);
      for (const [v, info] of kept.entries()) {
        expect((await a.records.getSnapshot(sid, "w", info.id))?.text).toBe(textAt(v));
        expect((await b.records.getSnapshot(sid, "w", info.id))?.text).toBe(textAt(v));
      }
    });

    it("reads no row before a version's nearest keyframe, and keeps the next version from the head alone", async () => {
      const writer = await open();
      const sid = await newSession(writer);
      const kept: SnapshotInfo[] = [];
      for (let v = 0; v < KEYFRAME_EVERY + 5; v++) kept.push((await keep(writer, sid, v))!);
      const before = kept.slice(0, KEYFRAME_EVERY).map((s) => s.id);
      await db.query(
        `UPDATE doc_history SET delta = 'damaged', keyframe = NULL WHERE id IN (${before.join(", ")})`,
      );

      const reader = await open();
      await expect(reader.records.getSnapshot(sid, "w", kept[3]!.id)).rejects.toThrow();
      for (let v = KEYFRAME_EVERY; v < kept.length; v++) {
        expect((await reader.records.getSnapshot(sid, "w", kept[v]!.id))?.text).toBe(textAt(v));
      }
      // A fresh instance reads the chain from the keyframe; then its head is cached.
      const next = await keep(reader, sid, 1000);
      expect((await reader.records.getSnapshot(sid, "w", next!.id))?.text).toBe(textAt(1000));

      // With every row damaged, only an instance holding the head can still keep a version.
      const all = (await reader.records.listSnapshots(sid, "w")).map((s) => s.id);
      await db.query(
        `UPDATE doc_history SET delta = 'damaged', keyframe = NULL WHERE id IN (${all.join(", ")})`,
      );
      await expect(keep(await open(), sid, 1001)).rejects.toThrow();
      expect(await keep(reader, sid, 1002)).toMatchObject({ length: textAt(1002).length });
    });

    it("reads rows stored before keyframes from the file's first row, and gives that file a keyframe next", async () => {
      const storage = await open();
      const sid = await newSession(storage);
      // As schema 3 (SQLite) or 7 (PostgreSQL) stored them: deltas from "", no keyframe column.
      const legacy = KEYFRAME_EVERY + 6;
      const values = Array.from({ length: legacy }, (_, v) => {
        const delta = JSON.stringify(textDelta(v === 0 ? "" : textAt(v - 1), textAt(v))).replaceAll(
          "'",
          "''",
        );
        return `((SELECT id FROM history_files WHERE session_id = '${sid}'), ${v}, NULL, '${delta}', ${textAt(v).length})`;
      });
      await db.query(
        `INSERT INTO history_files (session_id, workspace_id, file) VALUES ('${sid}', 'w', 't')`,
      );
      await db.query(
        `INSERT INTO doc_history (file_id, at, run_id, delta, length) VALUES ${values.join(", ")}`,
      );

      const list = await storage.records.listSnapshots(sid, "w");
      expect(list).toHaveLength(legacy);
      for (const v of [0, 1, legacy - 1]) {
        expect((await storage.records.getSnapshot(sid, "w", list[v]!.id))?.text).toBe(textAt(v));
      }
      const next = await keep(storage, sid, legacy);
      const [row] = await db.query(
        `SELECT keyframe IS NOT NULL AS keyframe FROM doc_history WHERE id = ${next!.id}`,
      );
      expect(Boolean(row!.keyframe)).toBe(true);
      expect((await storage.records.getSnapshot(sid, "w", next!.id))?.text).toBe(textAt(legacy));
      expect((await storage.records.loadHistory(sid, "w")).map((s) => s.text)).toEqual(
        Array.from({ length: legacy + 1 }, (_, v) => textAt(v)),
      );
    });
  });
}
