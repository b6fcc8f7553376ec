/**
 * SQL derived from a table declaration (tables.ts) for one driver: the column list a SELECT
 * names, the INSERT statement and its values, the reader that turns a driver's row into the
 * record, the column types, and a CREATE TABLE statement for new migrations. What differs between
 * the drivers (placeholders, types, how JSON, BIGINT and binary values come back) is here, once.
 */
import type { Column, LogicalType, Table } from "./tables.js";

export type Dialect = "sqlite" | "postgres";

/** A row as a driver returns it. */
export type Row = Record<string, unknown>;

const SQL_TYPES: Record<Dialect, Record<LogicalType, string>> = {
  sqlite: { text: "TEXT", integer: "INTEGER", bigint: "INTEGER", json: "TEXT", bytes: "BLOB" },
  postgres: { text: "TEXT", integer: "INTEGER", bigint: "BIGINT", json: "JSONB", bytes: "BYTEA" },
};

/** The column's type as the driver declares it. */
export const sqlType = (column: Column, dialect: Dialect): string => SQL_TYPES[dialect][column.type];

/** The table's declared columns, in order. */
export const columnsOf = <R>(table: Table<R>): Column[] => Object.values<Column>(table.columns);

/** The column names, comma-separated, each prefixed with `alias.` when given. */
export const columnList = <R>(table: Table<R>, alias?: string): string =>
  columnsOf(table)
    .map((c) => (alias ? `${alias}.${c.name}` : c.name))
    .join(", ");

/** `SELECT <every column> FROM <table>`, for a WHERE clause to follow. */
export const selectFrom = <R>(table: Table<R>): string => `SELECT ${columnList(table)} FROM ${table.name}`;

/** The driver's placeholder for the `n`th parameter (from 1). */
export const param = (dialect: Dialect, n: number): string => (dialect === "sqlite" ? "?" : `$${n}`);

/** The columns an INSERT fills: all but the generated id. */
const insertedColumns = <R>(table: Table<R>): [keyof R & string, Column][] =>
  (Object.entries(table.columns) as [keyof R & string, Column][]).filter(([, c]) => !c.generated);

/**
 * `INSERT INTO <table> (<columns>) VALUES (<placeholders>)` for every column but the generated id,
 * with `RETURNING <generated id>` when the table has one and the dialect is PostgreSQL (SQLite
 * reports it as lastInsertRowid).
 */
export function insertInto<R>(table: Table<R>, dialect: Dialect): string {
  const columns = insertedColumns(table);
  const names = columns.map(([, c]) => c.name).join(", ");
  const params = columns.map((_, i) => param(dialect, i + 1)).join(", ");
  const generated = columnsOf(table).find((c) => c.generated);
  const returning = dialect === "postgres" && generated ? ` RETURNING ${generated.name}` : "";
  return `INSERT INTO ${table.name} (${names}) VALUES (${params})${returning}`;
}

const toBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** A field's value as a parameter: JSON as text, bytes as a Buffer, a missing value as NULL. */
function encode(column: Column, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (column.type === "json") return JSON.stringify(value);
  if (column.type === "bytes") return toBuffer(value as Uint8Array);
  return value;
}

/** The parameters of {@link insertInto} for `record` (fields it lacks are NULL). */
export const insertValues = <R>(table: Table<R>, record: Partial<R>): unknown[] =>
  insertedColumns(table).map(([field, c]) => encode(c, record[field]));

/** A column's value as the record holds it. */
function decode(column: Column, value: unknown, dialect: Dialect): unknown {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    // PostgreSQL returns BIGINT as a string (it may exceed 2^53); the values stored here never do.
    case "bigint":
    case "integer":
      return Number(value);
    case "json":
      return dialect === "sqlite" ? JSON.parse(value as string) : value;
    case "bytes": {
      const b = value as Uint8Array;
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    }
    case "text":
      return value;
  }
}

const readers = { sqlite: new WeakMap<object, unknown>(), postgres: new WeakMap<object, unknown>() };

/** The reader that turns a driver's row (every declared column) into the table's record (made once). */
export function rowReader<R>(table: Table<R>, dialect: Dialect): (row: Row) => R {
  const known = readers[dialect].get(table) as ((row: Row) => R) | undefined;
  if (known) return known;
  const fields = Object.entries(table.columns) as [string, Column][];
  const read = (row: Row): R => {
    const record: Record<string, unknown> = {};
    for (const [field, c] of fields) record[field] = decode(c, row[c.name], dialect);
    return record as R;
  };
  readers[dialect].set(table, read);
  return read;
}

/** A column's definition in CREATE TABLE. */
function columnDefinition(c: Column, table: Table<unknown>, dialect: Dialect): string {
  if (c.generated) {
    return dialect === "sqlite"
      ? `${c.name} INTEGER PRIMARY KEY AUTOINCREMENT`
      : `${c.name} BIGSERIAL PRIMARY KEY`;
  }
  const pk = table.primaryKey.length === 1 && table.primaryKey[0] === c.name ? " PRIMARY KEY" : "";
  const notNull = c.nullable || pk ? "" : " NOT NULL";
  const ref = c.references ? ` REFERENCES ${c.references}` : "";
  return `${c.name} ${sqlType(c, dialect)}${pk}${notNull}${ref}`;
}

/** A CREATE TABLE statement for the declaration, for a new migration (applied ones stay as written). */
export function createTable<R>(table: Table<R>, dialect: Dialect): string {
  const t = table as Table<unknown>;
  const lines = columnsOf(table).map((c) => columnDefinition(c, t, dialect));
  if (table.insertionOrder && dialect === "postgres") lines.push("ord BIGSERIAL");
  if (table.primaryKey.length > 1) lines.push(`PRIMARY KEY (${table.primaryKey.join(", ")})`);
  for (const u of table.unique) lines.push(`UNIQUE (${u.join(", ")})`);
  return `CREATE TABLE ${table.name} (\n  ${lines.join(",\n  ")}\n);`;
}
