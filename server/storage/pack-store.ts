/**
 * Packs uploaded through the start page, stored as their zip archives so every instance sharing
 * the database serves them. Kept apart from the `Storage` interface: it is small and has its own
 * connection. The table `uploaded_packs` is in each driver's schema (sqlite.ts SCHEMA, which this
 * store also applies on its connection; postgres.ts migration 6, applied when the storage connects).
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import type pg from "pg";
import { UPLOADED_PACKS, UPLOADED_PACKS_TABLE } from "./tables.js";
import { insertInto, insertValues, rowReader, selectFrom, type Row } from "./table-sql.js";
import type { UploadedPackRecord } from "./types.js";

export type { UploadedPackRecord };

export interface PackStore {
  /** Stores the pack, replacing an earlier upload with the same id. */
  save(record: UploadedPackRecord): Promise<void>;
  /** Every uploaded pack's id and upload time (cheap: no archives). */
  list(): Promise<{ id: string; uploadedAt: number }[]>;
  get(id: string): Promise<UploadedPackRecord | null>;
  close(): Promise<void>;
}

/** Replaces an earlier upload of the same id (both drivers spell the upsert alike). */
const UPSERT = `ON CONFLICT (id) DO UPDATE SET title = excluded.title, archive = excluded.archive, uploaded_at = excluded.uploaded_at`;
const LIST = "SELECT id, uploaded_at FROM uploaded_packs ORDER BY id";
const toListed = (r: Row) => ({ id: r.id as string, uploadedAt: Number(r.uploaded_at) });

/** The SQLite store: its own connection to DATA_DIR/scratchroom.db (WAL lets both write). */
export class SqlitePackStore implements PackStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma("busy_timeout = 5000");
    // On the main thread, like the server's storage connection: its commits must not checkpoint
    // either (the WAL is shared; the storage's checkpoint jobs copy it, wal-checkpoints.ts).
    this.db.pragma("wal_autocheckpoint = 0");
    this.db.exec(UPLOADED_PACKS_TABLE);
  }

  static open(dataDir: string): SqlitePackStore {
    return new SqlitePackStore(join(dataDir, "scratchroom.db"));
  }

  async save(r: UploadedPackRecord): Promise<void> {
    this.db
      .prepare(`${insertInto(UPLOADED_PACKS, "sqlite")} ${UPSERT}`)
      .run(...insertValues(UPLOADED_PACKS, r));
  }

  async list(): Promise<{ id: string; uploadedAt: number }[]> {
    return this.db.prepare<[], Row>(LIST).all().map(toListed);
  }

  async get(id: string): Promise<UploadedPackRecord | null> {
    const row = this.db.prepare<[string], Row>(`${selectFrom(UPLOADED_PACKS)} WHERE id = ?`).get(id);
    return row ? rowReader(UPLOADED_PACKS, "sqlite")(row) : null;
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
      `${insertInto(UPLOADED_PACKS, "postgres")} ${UPSERT}`,
      insertValues(UPLOADED_PACKS, r),
    );
  }

  async list(): Promise<{ id: string; uploadedAt: number }[]> {
    const { rows } = await this.pool.query<Row>(LIST);
    return rows.map(toListed);
  }

  async get(id: string): Promise<UploadedPackRecord | null> {
    const { rows } = await this.pool.query<Row>(`${selectFrom(UPLOADED_PACKS)} WHERE id = $1`, [id]);
    return rows[0] ? rowReader(UPLOADED_PACKS, "postgres")(rows[0]) : null;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
