/**
 * A throwaway PostgreSQL schema per test run, so parallel runs against the shared `test` database
 * never see each other's rows. The URL it hands out selects the schema through libpq `options`.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { POSTGRES_URL } from "./services.js";

export interface TestSchema {
  name: string;
  /** POSTGRES_URL with this schema as the search_path. */
  url: string;
  drop(): Promise<void>;
}

export async function createTestSchema(prefix = "t"): Promise<TestSchema> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.searchParams.set("options", `-c search_path=${name}`);
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
