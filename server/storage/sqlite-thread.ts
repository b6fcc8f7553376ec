/**
 * SQLite storage on a worker thread. better-sqlite3 is synchronous, and a WAL checkpoint's fsync
 * on a busy disk can take 100 ms or more; on the main thread that stall would land on every
 * connected client's edits. Here the event loop only posts messages.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
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

/** The compiled worker of this process (compiled once: tests open many storages). */
let compiledOnce: { entry: string; script: string | null } | null = null;

/**
 * The worker and the modules it imports, compiled into one CommonJS script by esbuild (a dependency),
 * its packages required from here. Null when esbuild cannot be loaded or fails. Why: from the
 * TypeScript sources, registering tsx in the worker's isolate and compiling there cost about 20 MB
 * of RSS (48–52 MB for the worker against 29–32 MB for the same worker as one script;
 * docs/benchmarks.md, "Server changes for issue 20"); from the build, the worker as one script
 * costs 3–5 MB less than as ES modules (the ESM loader in the worker's isolate).
 *
 * esbuild runs in a short-lived child process: its `buildSync` in this process would start a
 * worker thread of esbuild's own that lives as long as the process, 8–13 MB of RSS for nothing
 * after this one call (docs/benchmarks.md, "Process RSS (branch rss)").
 */
function compiledWorker(entry: string): string | null {
  if (compiledOnce?.entry === entry) return compiledOnce.script;
  let script: string | null = null;
  try {
    const esbuild = createRequire(import.meta.url).resolve("esbuild");
    const options = {
      entryPoints: [fileURLToPath(entry)],
      bundle: true,
      platform: "node",
      format: "cjs",
      packages: "external",
      write: false,
      logLevel: "silent",
    };
    const build = `process.stdout.write(require(${JSON.stringify(esbuild)}).buildSync(${JSON.stringify(options)}).outputFiles[0].text);`;
    const env: NodeJS.ProcessEnv = { ...process.env, ESBUILD_WORKER_THREADS: "0" };
    delete env.NODE_OPTIONS;
    const text = execFileSync(process.execPath, ["-e", build], {
      env,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", "ignore"],
    });
    // Packages resolve from this file's directory, as the worker's imports would.
    script = `(function (require) {\n${text}\n})(require("node:module").createRequire(${JSON.stringify(fileURLToPath(import.meta.url))}));`;
  } catch {
    script = null;
  }
  compiledOnce = { entry, script };
  return script;
}

/**
 * The storage thread's young generation, in MB (by V8's default its two semi-spaces may grow to
 * 16 MB each, as the main thread's do under load). The thread's garbage is small and short-lived (a
 * batch of calls and its answers; a doc's rows are buffers outside the V8 heap), so a small nursery
 * costs it little and keeps about 5 MB of RSS that a burst of calls would otherwise leave committed
 * (docs/benchmarks.md, "Process RSS (branch rss)").
 */
const STORAGE_YOUNG_GENERATION_MB = 2;

/**
 * Starts the worker as one compiled script; without esbuild, from the build as ES modules and from
 * the TypeScript sources (dev, tests) through tsx.
 */
function startWorker(file: string): Worker {
  const limits = { resourceLimits: { maxYoungGenerationSizeMb: STORAGE_YOUNG_GENERATION_MB } };
  const fromSources = import.meta.url.endsWith(".ts");
  const entry = new URL(fromSources ? "./sqlite-worker.ts" : "./sqlite-worker.js", import.meta.url).href;
  const compiled = compiledWorker(entry);
  if (compiled) return new Worker(compiled, { eval: true, workerData: { file }, ...limits });
  if (!fromSources) return new Worker(new URL(entry), { workerData: { file }, ...limits });
  const tsx = pathToFileURL(tsxEsmApi()).href;
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData: { file }, ...limits });
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
  /** Calls of this turn of the event loop, not yet posted. */
  private batch: StorageCall[] | null = null;

  constructor(file: string) {
    this.worker = startWorker(file);
    this.worker.on("message", (answers: StorageAnswer[]) => {
      for (const answer of answers) {
        const waiter = this.pending.get(answer.id);
        if (!waiter) continue;
        this.pending.delete(answer.id);
        if (answer.ok) waiter.resolve(answer.value);
        else waiter.reject(new Error(answer.message));
      }
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

  /**
   * Posts a call of `store`'s `method` (null: the connection's close) to the worker; settles with its
   * answer. The calls made in one turn of the event loop go in one message, sent once the turn's
   * I/O has been handled, and come back in one: a burst of sync upgrades (a storage read each)
   * costs the two threads one message and one wake-up each way per turn, not per call.
   */
  private post(store: StorageCall["store"], method: string, args: unknown[]): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const call: StorageCall = { id, store, method, args };
      if (this.batch) {
        this.batch.push(call);
        return;
      }
      this.batch = [call];
      setImmediate(() => {
        const calls = this.batch!;
        this.batch = null;
        if (this.failure) return;
        this.worker.postMessage(calls);
      });
    });
  }

  async close(): Promise<void> {
    if (this.failure) return;
    await this.post(null, "close", []);
    await this.worker.terminate();
  }
}
