/**
 * Worker-thread side of {@link ThreadedSqliteStorage}: owns the SQLite connection and runs each
 * Storage call it is sent, answering with the result or the error message.
 */
import { parentPort, workerData } from "node:worker_threads";
import { SqliteStorage } from "./sqlite.js";
import type { Storage } from "./types.js";

export interface StorageCall {
  id: number;
  method: keyof Storage;
  args: unknown[];
}

export type StorageAnswer =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

const storage = new SqliteStorage((workerData as { file: string }).file);
const port = parentPort!;

port.on("message", (call: StorageCall) => {
  const method = storage[call.method] as (...args: unknown[]) => Promise<unknown>;
  method.apply(storage, call.args).then(
    (value) => port.postMessage({ id: call.id, ok: true, value } satisfies StorageAnswer),
    (err: unknown) =>
      port.postMessage({
        id: call.id,
        ok: false,
        message: err instanceof Error ? err.message : String(err),
      } satisfies StorageAnswer),
  );
});
