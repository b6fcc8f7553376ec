/**
 * Packs uploaded through the start page, stored as their zip archives so every instance sharing
 * the database serves them. Kept apart from the `Storage` interface: it is small and has its own
 * connection. The table `uploaded_packs` is in each driver's schema (sqlite.ts SCHEMA, which this
 * store also applies on its connection; postgres.ts migration 6, applied when the storage connects).
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import type pg from "pg";
import { UPLOADED_PACKS_TABLE } from "./sqlite.js";

export interface UploadedPackRecord {
  id: string;
  title: string;
  /** The zip exactly as it was uploaded and validated. */
  archive: Uint8Array;
  /** Epoch milliseconds of the latest upload of this id. */
  uploadedAt: number;
}

export interface PackStore {
  /** Stores the pack, replacing an earlier upload with the same id. */
  save(record: UploadedPackRecord): Promise<void>;
  /** Every uploaded pack's id and upload time (cheap: no archives). */
  list(): Promise<{ id: string; uploadedAt: number }[]>;
  get(id: string): Promise<UploadedPackRecord | null>;
  close(): Promise<void>;
}

interface Row {
  id: string;
  title: string;
  archive: Uint8Array;
  uploaded_at: number | string;
}

const toRecord = (r: Row): UploadedPackRecord => ({
  id: r.id,
  title: r.title,
  archive: new Uint8Array(r.archive),
  uploadedAt: Number(r.uploaded_at),
});

/** The SQLite store: its own connection to DATA_DIR/scratchroom.db (WAL lets both write). */
export class SqlitePackStore implements PackStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma("busy_timeout = 5000");
    // The main storage may open its own connection (a worker thread) after this one.
    this.db.exec(UPLOADED_PACKS_TABLE);
  }

  static open(dataDir: string): SqlitePackStore {
    return new SqlitePackStore(join(dataDir, "scratchroom.db"));
  }

  async save(r: UploadedPackRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO uploaded_packs (id, title, archive, uploaded_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET title = excluded.title, archive = excluded.archive, uploaded_at = excluded.uploaded_at`,
      )
      .run(r.id, r.title, Buffer.from(r.archive), r.uploadedAt);
  }

  async list(): Promise<{ id: string; uploadedAt: number }[]> {
    const rows = this.db
      .prepare<[], { id: string; uploaded_at: number }>(
        "SELECT id, uploaded_at FROM uploaded_packs ORDER BY id",
      )
      .all();
    return rows.map((r) => ({ id: r.id, uploadedAt: r.uploaded_at }));
  }

  async get(id: string): Promise<UploadedPackRecord | null> {
    const row = this.db.prepare<[string], Row>("SELECT * FROM uploaded_packs WHERE id = ?").get(id);
    return row ? toRecord(row) : null;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** The PostgreSQL store: a small pool of its own on DATABASE_URL. */
export class PostgresPackStore implements PackStore {
  private constructor(private readonly pool: pg.Pool) {}

  static async connect(url: string): Promise<PostgresPackStore> {
    const { default: pgModule } = await import("pg");
    const pool = new pgModule.Pool({ connectionString: url, max: 2 });
    pool.on("error", () => undefined);
    return new PostgresPackStore(pool);
  }

  async save(r: UploadedPackRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO uploaded_packs (id, title, archive, uploaded_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, archive = EXCLUDED.archive, uploaded_at = EXCLUDED.uploaded_at`,
      [r.id, r.title, Buffer.from(r.archive), r.uploadedAt],
    );
  }

  async list(): Promise<{ id: string; uploadedAt: number }[]> {
    const { rows } = await this.pool.query<{ id: string; uploaded_at: string }>(
      "SELECT id, uploaded_at FROM uploaded_packs ORDER BY id",
    );
    return rows.map((r) => ({ id: r.id, uploadedAt: Number(r.uploaded_at) }));
  }

  async get(id: string): Promise<UploadedPackRecord | null> {
    const { rows } = await this.pool.query<Row>("SELECT * FROM uploaded_packs WHERE id = $1", [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
