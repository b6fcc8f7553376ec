/**
 * Worker-thread side of {@link ThreadedSqliteStorage}: owns the SQLite connection and runs each
 * store call it is sent, answering with the result or the error message.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { StoreName } from "./methods.js";
import { SqliteStorage } from "./sqlite.js";

/** A call of one store's method, or (store null, method "close") the close of the connection. */
export interface StorageCall {
  id: number;
  store: StoreName | null;
  method: string;
  args: unknown[];
}

export type StorageAnswer =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

const storage = new SqliteStorage((workerData as { file: string }).file);
const port = parentPort!;

type Methods = Record<string, (...args: unknown[]) => Promise<unknown>>;

/** Runs one call; its answer, never a rejection. */
function run(call: StorageCall): Promise<StorageAnswer> {
  const target = (call.store === null ? storage : storage[call.store]) as unknown as Methods;
  return target[call.method]!.apply(target, call.args).then(
    (value): StorageAnswer => ({ id: call.id, ok: true, value }),
    (err: unknown): StorageAnswer => ({
      id: call.id,
      ok: false,
      message: err instanceof Error ? err.message : String(err),
    }),
  );
}

// Calls come in batches (one per turn of the server's event loop); they start in order and are
// answered together, one message back per batch.
port.on("message", (calls: StorageCall[]) => {
  void Promise.all(calls.map(run)).then((answers) => port.postMessage(answers));
});
