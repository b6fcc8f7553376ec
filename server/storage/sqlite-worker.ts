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

port.on("message", (call: StorageCall) => {
  const target = (call.store === null ? storage : storage[call.store]) as unknown as Methods;
  target[call.method]!.apply(target, call.args).then(
    (value) => port.postMessage({ id: call.id, ok: true, value } satisfies StorageAnswer),
    (err: unknown) =>
      port.postMessage({
        id: call.id,
        ok: false,
        message: err instanceof Error ? err.message : String(err),
      } satisfies StorageAnswer),
  );
});
