/**
 * Each driver's real schema, as its migrations leave it, against the table declarations
 * (tables.ts): a migration that adds, drops, renames or retypes a column without the declaration
 * following (or the other way round) fails here. CREATE statements derived from the declarations
 * give the same schema, so a new migration can use them.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeWith } from "../../test/support/requirements.js";
import { createTestSchema, type TestSchema } from "../../support/pg-schema.js";
import { migrate } from "./postgres.js";
import { migrateSqlite } from "./sqlite.js";
import { TABLES, type Table } from "./tables.js";
import { columnsOf, createTable, sqlType, type Dialect } from "./table-sql.js";

/** A column as a schema query describes it: "name type" plus " null" when it may hold NULL. */
type Described = string;

/** What the declaration says each driver's table has, sorted by column name. */
function declared(table: Table<object>, dialect: Dialect): Described[] {
  const columns = columnsOf(table).map(
    (c) => `${c.name} ${sqlType(c, dialect).toLowerCase()}${c.nullable ? " null" : ""}`,
  );
  if (table.insertionOrder && dialect === "postgres") columns.push("ord bigint");
  return columns.sort();
}

/** SQLite's own tables and the migrations' record, which no declaration covers. */
const SQLITE_INTERNAL = new Set(["schema_migrations", "sqlite_sequence"]);

function sqliteSchema(db: Database.Database): Map<string, Described[]> {
  const tables = db
    .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all()
    .filter((t) => !SQLITE_INTERNAL.has(t));
  return new Map(
    tables.map((t) => {
      const info = db
        .prepare<[], { name: string; type: string; notnull: number; pk: number }>(`PRAGMA table_info(${t})`)
        .all();
      // A primary key column holds no NULL whether or not it says NOT NULL.
      const columns = info.map((c) => `${c.name} ${c.type.toLowerCase()}${c.notnull || c.pk ? "" : " null"}`);
      return [t, columns.sort()];
    }),
  );
}

const declaredSchema = (dialect: Dialect) =>
  new Map(TABLES.map((t) => [t.name, declared(t, dialect)] as const));

describe("the SQLite schema", () => {
  it("has exactly the declared tables and columns once migrated", () => {
    const db = new Database(":memory:");
    migrateSqlite(db);
    expect(Object.fromEntries(sqliteSchema(db))).toEqual(Object.fromEntries(declaredSchema("sqlite")));
    db.close();
  });

  it("is what the declarations' CREATE statements make", () => {
    const db = new Database(":memory:");
    for (const t of TABLES) db.exec(createTable(t, "sqlite"));
    expect(Object.fromEntries(sqliteSchema(db))).toEqual(Object.fromEntries(declaredSchema("sqlite")));
    db.close();
  });

  it("notices a column the declaration lacks", () => {
    const db = new Database(":memory:");
    migrateSqlite(db);
    db.exec("ALTER TABLE runs ADD COLUMN seconds INTEGER");
    expect(sqliteSchema(db).get("runs")).not.toEqual(declaredSchema("sqlite").get("runs"));
    db.close();
  });
});

/** Postgres's columns of the tables in `schema`, in the same description. */
async function postgresSchema(client: pg.Client, schema: string): Promise<Map<string, Described[]>> {
  const { rows } = await client.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
  }>(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
      WHERE table_schema = $1 AND table_name <> 'schema_migrations' ORDER BY table_name, column_name`,
    [schema],
  );
  const tables = new Map<string, Described[]>();
  for (const r of rows) {
    const columns = tables.get(r.table_name) ?? [];
    columns.push(`${r.column_name} ${r.data_type}${r.is_nullable === "YES" ? " null" : ""}`);
    tables.set(r.table_name, columns);
  }
  for (const columns of tables.values()) columns.sort();
  return tables;
}

await describeWith(["postgres"], "the PostgreSQL schema", () => {
  let migrated: TestSchema;
  let created: TestSchema;
  let client: pg.Client;
  beforeAll(async () => {
    migrated = await createTestSchema("schema");
    created = await createTestSchema("create");
    const pool = new pg.Pool({ connectionString: migrated.url, max: 1 });
    await migrate(pool);
    await pool.end();
    const direct = new pg.Client({ connectionString: created.url });
    await direct.connect();
    for (const t of TABLES) await direct.query(createTable(t, "postgres"));
    await direct.end();
    client = new pg.Client({ connectionString: migrated.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await migrated.drop();
    await created.drop();
  });

  it("has exactly the declared tables and columns once migrated", async () => {
    expect(Object.fromEntries(await postgresSchema(client, migrated.name))).toEqual(
      Object.fromEntries(declaredSchema("postgres")),
    );
  });

  it("is what the declarations' CREATE statements make", async () => {
    expect(Object.fromEntries(await postgresSchema(client, created.name))).toEqual(
      Object.fromEntries(declaredSchema("postgres")),
    );
  });
});
