/**
 * Where the external services the tests and benchmarks use are (PostgreSQL, Redis): the local
 * defaults of this machine and of CI, overridable from the environment.
 */
export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
