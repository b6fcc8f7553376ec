/**
 * Worker-thread side of {@link ThreadedSqliteStorage}: owns the SQLite connection and runs each
 * store call it is sent, answering with the result or the error message.
 */
import { setPriority } from "node:os";
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

/** What the thread is started with: the database file, and its nice value (null: unchanged). */
export interface StorageWorkerData {
  file: string;
  nice: number | null;
}

export type StorageAnswer =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

const { file, nice } = workerData as StorageWorkerData;
try {
  // Linux: 0 is this thread alone (its nice value is its own); elsewhere it would be the whole
  // process, so the value is null there (sqlite-thread.ts, STORAGE_THREAD_NICE).
  if (nice !== null) setPriority(0, nice);
} catch {
  // Not allowed here (a sandbox's syscall policy): the thread keeps the event loop's priority.
}

const storage = new SqliteStorage(file);
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
