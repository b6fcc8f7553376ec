import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { SqliteStorage } from "./sqlite.js";
import { WalCheckpoints, type WalCheckpointOptions } from "./wal-checkpoints.js";

/**
 * The server's SQLite storage on the main thread: no commit there checkpoints (the WAL grows and
 * the database file is left alone until a checkpoint job runs), the jobs run when the WAL passes
 * its size or is left unchanged, no thread outlives a job, and what an append resolved for
 * survives a kill of the process.
 */
const dir = mkdtempSync(join(tmpdir(), "scratchroom-wal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const sizeOf = (file: string) => statSync(file, { throwIfNoEntry: false })?.size ?? 0;
const never = 1e9;
/** The WAL file's 32-byte header: a restart of the WAL writes a new one (new salts). */
const walHeader = (file: string) => readFileSync(`${file}-wal`).subarray(0, 32);

function open(options: Partial<WalCheckpointOptions>): { storage: SqliteStorage; file: string } {
  const file = join(dir, `${++files}.db`);
  const checkpoints = { walBytes: never, idleMs: never, checkEveryMs: never, ...options };
  return { storage: new SqliteStorage(file, { checkpoints }), file };
}

/** `count` commits of one small update each, as the update log's flushes are. */
async function commits(storage: SqliteStorage, count: number, doc = "d"): Promise<void> {
  for (let i = 0; i < count; i++)
    await storage.documents.appendUpdates([{ doc: `${doc}${i % 20}`, update: new Uint8Array(64).fill(i) }]);
}

async function until(test: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("SqliteStorage with its checkpoints off the event loop", () => {
  it("never checkpoints on a commit: the WAL grows past SQLite's 1,000 pages, the file is left alone", async () => {
    const { storage, file } = open({});
    const opened = sizeOf(file);
    await commits(storage, 600);
    // Past SQLite's default autocheckpoint (1,000 pages of 4 KB), which would have copied them.
    expect(sizeOf(`${file}-wal`)).toBeGreaterThan(1000 * 4096);
    expect(sizeOf(file)).toBe(opened);
    const result = await storage.checkpoints!.checkpoint();
    expect(result.busy).toBe(0);
    expect(result.checkpointed).toBe(result.log);
    expect(sizeOf(file)).toBeGreaterThan(opened);
    // The job started the WAL over itself (its header synced there, the file cut to the job's one
    // frame): the main thread's next commit appends to it and neither restarts it (the header, its
    // checkpoint sequence number and salts, stays as the job wrote it) nor syncs.
    expect(sizeOf(`${file}-wal`)).toBeLessThanOrEqual(32 + 24 + 4096);
    expect(result.restarted).toBe(true);
    const header = walHeader(file);
    await commits(storage, 1);
    expect(walHeader(file)).toEqual(header);
    expect(sizeOf(`${file}-wal`)).toBeLessThan(10 * 4096);
    await storage.close();
    const reopened = new SqliteStorage(file);
    expect((await reopened.documents.loadDoc("d0")).updates).toHaveLength(31); // 600 / 20, and the one after
    await reopened.close();
  });

  it("runs a checkpoint once the WAL passes its size, and starts another only after new writes", async () => {
    const { storage, file } = open({ walBytes: 256 * 1024, checkEveryMs: 10 });
    const opened = sizeOf(file);
    await commits(storage, 40);
    await until(() => storage.checkpoints!.completed >= 1);
    expect(storage.checkpoints!.lastResult!.checkpointed).toBe(storage.checkpoints!.lastResult!.log);
    expect(sizeOf(file)).toBeGreaterThan(opened);
    await new Promise((r) => setTimeout(r, 100));
    expect(storage.checkpoints!.completed).toBe(1);
    await commits(storage, 1);
    expect(sizeOf(`${file}-wal`)).toBeLessThan(256 * 1024);
    await storage.close();
  });

  it("restarts a WAL that commits too frequent for PASSIVE have let grow", async () => {
    const walBytes = 64 * 1024;
    const { storage, file } = open({ walBytes, checkEveryMs: 10 });
    let largest = 0;
    let shrankAfterRestart = false;
    const end = Date.now() + 20_000;
    // A commit every turn: no PASSIVE pass finds the WAL fully copied before the next commit.
    while (!shrankAfterRestart && Date.now() < end) {
      await commits(storage, 1);
      await new Promise((r) => setImmediate(r));
      const size = sizeOf(`${file}-wal`);
      if (storage.checkpoints!.restarts > 0 && size < largest / 2) shrankAfterRestart = true;
      largest = Math.max(largest, size);
    }
    expect(shrankAfterRestart).toBe(true);
    expect(largest).toBeGreaterThanOrEqual(4 * walBytes);
    await storage.close();
  }, 30_000);

  it("checkpoints a WAL left unchanged for its idle time, once", async () => {
    const { storage } = open({ idleMs: 100, checkEveryMs: 10 });
    await commits(storage, 3);
    await until(() => storage.checkpoints!.completed >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(storage.checkpoints!.completed).toBe(1);
    await storage.close();
  });

  it("reports a failed checkpoint and waits its idle time before the next", async () => {
    // A WAL with no database beside it: the job cannot open the file.
    const file = join(dir, "missing.db");
    writeFileSync(`${file}-wal`, new Uint8Array(1024));
    const failures: Error[] = [];
    const checkpoints = new WalCheckpoints(file, { walBytes: 512, idleMs: 60_000, checkEveryMs: 5 }, (err) =>
      failures.push(err),
    );
    checkpoints.start();
    await until(() => failures.length >= 1);
    await new Promise((r) => setTimeout(r, 200));
    await checkpoints.stop();
    expect(failures).toHaveLength(1);
    expect(checkpoints.completed).toBe(0);
  });

  it("merges the rows of a doc no room holds on a worker, keeping rows appended meanwhile", async () => {
    const { storage } = open({});
    const ydoc = new Y.Doc();
    const updates: Uint8Array[] = [];
    ydoc.on("update", (u: Uint8Array) => updates.push(u));
    const text = ydoc.getText("t");
    for (let i = 0; i < 300; i++) text.insert(i % 7 === 0 ? 0 : text.length, String(i % 10));
    await storage.documents.appendUpdates(updates.slice(0, 250).map((update) => ({ doc: "m", update })));
    const merging = storage.documents.compactLog("m");
    await storage.documents.appendUpdates(updates.slice(250).map((update) => ({ doc: "m", update })));
    expect(await merging).toBeGreaterThanOrEqual(250);
    const restored = new Y.Doc();
    const { updates: rows } = await storage.documents.loadDoc("m");
    expect(rows.length).toBeLessThanOrEqual(51);
    for (const u of rows) Y.applyUpdate(restored, u);
    expect(restored.getText("t").toString()).toBe(text.toString());
    await storage.close();
  });
});

/** A child node's arguments that run `script` (a module importing `sqlite.ts`) under tsx. */
function tsxScript(script: string): string[] {
  const file = join(dir, `probe-${++files}.mts`);
  writeFileSync(file, script);
  return ["--import", "tsx", file];
}
const sqliteModule = JSON.stringify(new URL("./sqlite.ts", import.meta.url).href);

describe.runIf(existsSync("/proc/self/task"))("SqliteStorage's threads", () => {
  // In a child process: vitest's own threads would be counted here.
  it("opening and using the storage starts none; a checkpoint's thread is gone once it is done", () => {
    const data = join(dir, "threads");
    const out = execFileSync(
      process.execPath,
      tsxScript(`
      import { readdirSync } from "node:fs";
      import { SqliteStorage } from ${sqliteModule};
      const threads = () => readdirSync("/proc/self/task").length;
      const before = threads();
      const storage = SqliteStorage.open(${JSON.stringify(data)});
      await storage.records.getSession("none");
      await storage.documents.appendUpdates([{ doc: "d", update: new Uint8Array([1]) }]);
      const opened = threads() - before;
      const running = storage.checkpoints.checkpoint();
      const during = threads() - before;
      await running;
      await new Promise((r) => setTimeout(r, 200));
      const after = threads() - before;
      await storage.close();
      console.log(JSON.stringify({ opened, during, after }));
    `),
      { encoding: "utf8", timeout: 30_000 },
    );
    const counts = JSON.parse(out.trim().split("\n").pop()!) as {
      opened: number;
      during: number;
      after: number;
    };
    expect(counts).toEqual({ opened: 0, during: 1, after: 0 });
  });
});

describe("SqliteStorage after a kill", () => {
  it("has every update whose append resolved, checkpoints running meanwhile", async () => {
    const data = join(dir, "crash");
    const child = spawn(
      process.execPath,
      tsxScript(`
      import { SqliteStorage } from ${sqliteModule};
      const storage = SqliteStorage.open(${JSON.stringify(data)}, { walBytes: 64 * 1024, idleMs: 1e9, checkEveryMs: 5 });
      for (let i = 1; ; i++) {
        await storage.documents.appendUpdates([{ doc: "crash", update: new Uint8Array(new Uint32Array([i]).buffer) }]);
        process.stdout.write(i + " " + storage.checkpoints.completed + "\\n");
        // A turn of the event loop, so the checkpoint timer runs.
        await new Promise((r) => setImmediate(r));
      }
    `),
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let acknowledged = 0;
    let checkpointed = 0;
    let buffered = "";
    let errors = "";
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString("utf8")));
    await new Promise<void>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", (code) => {
        if (!child.killed) reject(new Error(`the writer exited (${code}) before the kill: ${errors}`));
      });
      child.stdout.on("data", (chunk: Buffer) => {
        buffered += chunk.toString("utf8");
        const lines = buffered.split("\n");
        buffered = lines.pop()!;
        if (lines.length > 0)
          [acknowledged, checkpointed] = lines.at(-1)!.split(" ").map(Number) as [number, number];
        if (acknowledged >= 2000 && checkpointed >= 2 && !child.killed) {
          child.kill("SIGKILL");
          resolve();
        }
      });
    });
    await new Promise((r) => child.once("exit", r));
    const storage = SqliteStorage.open(data);
    const { updates } = await storage.documents.loadDoc("crash");
    const stored = updates.map((u) => new Uint32Array(u.buffer.slice(u.byteOffset, u.byteOffset + 4))[0]!);
    expect(stored.length).toBeGreaterThanOrEqual(acknowledged);
    expect(stored.slice(0, acknowledged)).toEqual(Array.from({ length: acknowledged }, (_, i) => i + 1));
    await storage.close();
  }, 60_000);
});
