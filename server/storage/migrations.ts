/**
 * Schema migrations, the same way for both drivers: an ordered list of versioned changes, each
 * applied once and recorded in the database's `schema_migrations` table. An applied migration is
 * never edited; a change is a new entry.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations not in `applied`, in version order. */
export function pendingMigrations(migrations: readonly Migration[], applied: Iterable<number>): Migration[] {
  const done = new Set(applied);
  return [...migrations].sort((a, b) => a.version - b.version).filter((m) => !done.has(m.version));
}
