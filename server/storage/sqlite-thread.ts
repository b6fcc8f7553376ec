/**
 * SQLite storage on a worker thread. better-sqlite3 is synchronous, and a WAL checkpoint's fsync
 * on a busy disk can take 100 ms or more; on the main thread that stall would land on every
 * connected client's edits. Here the event loop only posts messages.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type * as Esbuild from "esbuild";
import { forwardingDocuments, forwardingRecords } from "./methods.js";
import type { StorageAnswer, StorageCall } from "./sqlite-worker.js";
import type { DocumentStore, RecordStore, Storage } from "./types.js";

/** The ESM entry of tsx's register API, from its package exports (the CJS one cannot be imported). */
function tsxEsmApi(): string {
  const pkgFile = createRequire(import.meta.url).resolve("tsx/package.json");
  const pkg = JSON.parse(readFileSync(pkgFile, "utf8")) as {
    exports: Record<string, { import: { default: string } }>;
  };
  return join(dirname(pkgFile), pkg.exports["./esm/api"]!.import.default);
}

/**
 * From TypeScript sources: the worker and the modules it imports, compiled into one CommonJS script
 * by esbuild (tsx's own compiler, so always installed with it), its packages required from here.
 * Null when esbuild cannot be loaded. Why: registering tsx in the worker's isolate and compiling
 * there cost about 20 MB of RSS (48–52 MB for the worker against 29–32 MB for the same worker as
 * one script; docs/benchmarks.md, "Server changes for issue 20").
 */
function compiledWorker(entry: string): string | null {
  let esbuild: typeof Esbuild;
  try {
    esbuild = createRequire(import.meta.url)("esbuild") as typeof Esbuild;
  } catch {
    return null;
  }
  const { outputFiles } = esbuild.buildSync({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    platform: "node",
    format: "cjs",
    packages: "external",
    write: false,
    logLevel: "silent",
  });
  // Packages resolve from this file's directory, as the worker's imports would.
  return `(function (require) {\n${outputFiles[0]!.text}\n})(require("node:module").createRequire(${JSON.stringify(fileURLToPath(import.meta.url))}));`;
}

/** Starts the worker; from TypeScript sources (dev, tests) compiled first (or through tsx). */
function startWorker(file: string): Worker {
  const fromSources = import.meta.url.endsWith(".ts");
  const entry = new URL(fromSources ? "./sqlite-worker.ts" : "./sqlite-worker.js", import.meta.url).href;
  if (!fromSources) return new Worker(new URL(entry), { workerData: { file } });
  const compiled = compiledWorker(entry);
  if (compiled) return new Worker(compiled, { eval: true, workerData: { file } });
  const tsx = pathToFileURL(tsxEsmApi()).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData: { file } });
}

/** The storage, its two stores generated from their method lists (methods.ts) as posts to the worker. */
export class ThreadedSqliteStorage implements Storage {
  readonly kind = "sqlite";
  readonly records: RecordStore = forwardingRecords((method, args) => this.post("records", method, args));
  readonly documents: DocumentStore = forwardingDocuments((method, args) =>
    this.post("documents", method, args),
  );
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private nextId = 1;
  private failure: Error | null = null;

  constructor(file: string) {
    this.worker = startWorker(file);
    this.worker.on("message", (answer: StorageAnswer) => {
      const waiter = this.pending.get(answer.id);
      if (!waiter) return;
      this.pending.delete(answer.id);
      if (answer.ok) waiter.resolve(answer.value);
      else waiter.reject(new Error(answer.message));
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const w of this.pending.values()) w.reject(err);
      this.pending.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`storage worker exited (${code})`)));
  }

  /** Opens `DATA_DIR/scratchroom.db` on a worker thread. */
  static open(dataDir: string): ThreadedSqliteStorage {
    mkdirSync(dataDir, { recursive: true });
    return new ThreadedSqliteStorage(join(dataDir, "scratchroom.db"));
  }

  /** Posts a call of `store`'s `method` (null: the connection's close) to the worker; settles with its answer. */
  private post(store: StorageCall["store"], method: string, args: unknown[]): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, store, method, args } satisfies StorageCall);
    });
  }

  async close(): Promise<void> {
    if (this.failure) return;
    await this.post(null, "close", []);
    await this.worker.terminate();
  }
}
