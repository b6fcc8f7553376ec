import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { productionNodeFlags } from "../bench/sync-harness.js";
import {
  connect,
  createSession,
  joinSession,
  remote,
  spawnServe,
  startTestServer,
  stopTestServer,
  synced,
  tempDataDir,
  type TestServer,
  until,
} from "../support/server.js";
import { type HeapControls, IdleMemoryReclaimer, type Reclaim } from "./idle-memory.js";
import { createLogger } from "./logger.js";

const MB = 1024 * 1024;

/** A heap whose young generation shrinks to 1 MB on the `shrinksAfter`-th minor collection. */
function fakeHeap(shrinksAfter: number) {
  const calls: string[] = [];
  let young = 16 * MB;
  let used = 40 * MB;
  let minors = 0;
  const heap: HeapControls = {
    major: () => {
      calls.push("major");
      used = 20 * MB;
    },
    minor: () => {
      calls.push("minor");
      if (++minors === shrinksAfter) young = MB;
    },
    youngGenerationBytes: () => young,
    usedBytes: () => used,
  };
  return { heap, calls, grow: () => ((young = 16 * MB), (used = 40 * MB)) };
}

describe("IdleMemoryReclaimer", () => {
  const log = createLogger("silent");
  let reclaims: Reclaim[];
  beforeEach(() => {
    vi.useFakeTimers();
    reclaims = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function reclaimer(heap: HeapControls, maxMinor?: number) {
    const r = new IdleMemoryReclaimer(heap, { quietMs: 1000, stepMs: 100, maxMinor }, log, () => Date.now());
    r.onReclaimed = (reclaim) => reclaims.push(reclaim);
    r.start();
    return r;
  }

  it("does nothing before anything has happened", () => {
    const { heap, calls } = fakeHeap(3);
    const r = reclaimer(heap);
    vi.advanceTimersByTime(60_000);
    expect(calls).toEqual([]);
    r.close();
  });

  it("after a quiet spell collects the young generation until V8 shrinks it, then the whole heap, once", () => {
    const { heap, calls } = fakeHeap(3);
    const r = reclaimer(heap);
    r.noteActivity();
    vi.advanceTimersByTime(900);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(2000);
    expect(calls).toEqual(["minor", "minor", "minor", "major"]);
    expect(reclaims).toEqual([
      {
        quietForMs: 1000,
        minorCollections: 3,
        youngBytesBefore: 16 * MB,
        youngBytesAfter: MB,
        usedBytesBefore: 40 * MB,
        usedBytesAfter: 20 * MB,
      },
    ]);
    vi.advanceTimersByTime(60_000);
    expect(calls).toHaveLength(4);
    r.close();
  });

  it("keeps the quiet spell's clock on activity: a stream of updates never triggers it", () => {
    const { heap, calls } = fakeHeap(3);
    const r = reclaimer(heap);
    for (let t = 0; t < 20; t++) {
      r.noteActivity();
      vi.advanceTimersByTime(900);
    }
    expect(calls).toEqual([]);
    r.close();
  });

  it("stops a reclaim when an update arrives, and reclaims in the next quiet spell", () => {
    const { heap, calls } = fakeHeap(5);
    const r = reclaimer(heap);
    r.noteActivity();
    // The check runs every 500 ms: the reclaim starts at 1000 and its second minor is at 1200.
    vi.advanceTimersByTime(1250);
    expect(calls).toEqual(["minor", "minor"]);
    r.noteActivity();
    vi.advanceTimersByTime(500);
    expect(calls).toEqual(["minor", "minor"]);
    vi.advanceTimersByTime(2000);
    expect(calls).toEqual([...Array(5).fill("minor"), "major"]);
    expect(reclaims).toHaveLength(1);
    r.close();
  });

  it("gives up on the young generation after maxMinor collections and still collects the heap", () => {
    const { heap, calls } = fakeHeap(Infinity);
    const r = reclaimer(heap, 4);
    r.noteActivity();
    vi.advanceTimersByTime(5000);
    expect(calls).toEqual(["minor", "minor", "minor", "minor", "major"]);
    expect(reclaims[0]!.youngBytesAfter).toBe(16 * MB);
    r.close();
  });

  it("skips the young generation when it is no bigger than a reclaim has left it", () => {
    const { heap, calls, grow } = fakeHeap(2);
    const r = reclaimer(heap);
    r.noteActivity();
    vi.advanceTimersByTime(3000);
    expect(calls).toEqual(["minor", "minor", "major"]);
    r.noteActivity();
    vi.advanceTimersByTime(3000);
    expect(calls).toEqual(["minor", "minor", "major", "major"]);
    grow();
    r.noteActivity();
    vi.advanceTimersByTime(3000);
    // Grown again: collected until it shrinks (this fake shrinks only once, so maxMinor's 20).
    expect(calls.filter((c) => c === "minor")).toHaveLength(2 + 20);
    r.close();
  });

  it("refuses a quiet time that is not positive", () => {
    const { heap } = fakeHeap(1);
    expect(() => new IdleMemoryReclaimer(heap, { quietMs: 0 }, log)).toThrow(/quietMs/);
  });
});

describe("IdleMemoryReclaimer on V8's heap, with the production Node flags", () => {
  const root = fileURLToPath(new URL("../", import.meta.url));
  const child = fileURLToPath(new URL("./test/idle-memory-child.ts", import.meta.url));
  const run = async (...args: string[]) => {
    const flags = productionNodeFlags(root);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...flags, "--import", "tsx", child, ...args],
      { cwd: root, timeout: 30_000 },
    );
    return JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, number>;
  };

  it("runs without V8's memory reducer, which would pause a busy server (docs/benchmarks.md)", () => {
    expect(productionNodeFlags(root)).toEqual(expect.arrayContaining(["--no-memory-reducer", "--expose-gc"]));
  });

  it("shrinks the young generation V8 grew, which nothing else gives back", async () => {
    const [reclaimed, left] = await Promise.all([run(), run("--no-reclaim")]);
    expect(reclaimed.grown).toBeGreaterThanOrEqual(8 * MB);
    expect(reclaimed.youngBytesBefore).toBe(reclaimed.grown);
    expect(reclaimed.youngBytesAfter).toBeLessThanOrEqual(2 * MB);
    expect(left.grown).toBeGreaterThanOrEqual(8 * MB);
    expect(left.youngBytesAfter).toBe(left.grown);
  }, 60_000);
});

describe("the server, started as `npm start` starts it", () => {
  const root = fileURLToPath(new URL("../", import.meta.url));
  const reclaims = (output: string) =>
    output.split("\n").filter((l) => l.includes("quiet: memory given back"));

  it("gives memory back once no doc update has come for IDLE_RECLAIM_MS, not before", async () => {
    const dataDir = tempDataDir();
    const serve = await spawnServe(dataDir, {
      nodeArgs: productionNodeFlags(root),
      env: { IDLE_RECLAIM_MS: "1000", LOG_LEVEL: "debug" },
    });
    try {
      const server = remote(serve.url);
      const host = await createSession(server);
      const ada = await joinSession(server, host.joinCode, "Ada");
      const doc = new Y.Doc();
      const provider = connect(server, `workspace/${ada.sessionId}/${ada.workspaceId}`, ada.token, doc);
      await synced(provider);
      // Nothing stored since the start: nothing to give back yet.
      expect(reclaims(serve.output)).toEqual([]);
      for (let i = 0; i < 20; i++) {
        doc.getText("scratch").insert(0, `keystroke ${i}\n`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const lastKeystroke = Date.now();
      await until(() => reclaims(serve.output).length > 0, 15_000, "a reclaim after the typing");
      const reclaim = JSON.parse(reclaims(serve.output)[0]!) as {
        module: string;
        time: string;
        quietForMs: number;
      };
      expect(reclaim.module).toBe("memory");
      expect(reclaim.quietForMs).toBeGreaterThanOrEqual(1000);
      // Not during the typing: a second after it (the flush within 250 ms, then 1 s of quiet).
      expect(Date.parse(reclaim.time) - lastKeystroke).toBeGreaterThanOrEqual(900);
      // Once per quiet spell.
      await new Promise((r) => setTimeout(r, 2500));
      expect(reclaims(serve.output)).toHaveLength(1);
      provider.destroy();
    } finally {
      serve.process.kill("SIGTERM");
      await serve.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("the server's quiet spell and its rooms", () => {
  it("starts again when a room leaves memory, so the reclaim collects the doc it left", async () => {
    // A room stays 1.5 s after its last connection; a reclaim needs 1 s of quiet.
    let server: TestServer | null = null;
    const loadedAtCollections: number[] = [];
    const { heap } = fakeHeap(1);
    const major = heap.major;
    heap.major = () => {
      loadedAtCollections.push(server!.rooms.loadedNames().length);
      major();
    };
    server = await startTestServer({ idleReclaimMs: 1000, roomGraceMs: 1500 }, undefined, { heap });
    try {
      const host = await createSession(server);
      const ada = await joinSession(server, host.joinCode, "Ada");
      const doc = new Y.Doc();
      const provider = connect(server, `workspace/${ada.sessionId}/${ada.workspaceId}`, ada.token, doc);
      await synced(provider);
      doc.getText("scratch").insert(0, "typed\n");
      await new Promise((r) => setTimeout(r, 300));
      provider.destroy();
      const s = server;
      await until(() => s.rooms.loadedNames().length === 0, 10_000, "the rooms to leave memory");
      // The quiet spell after the edit may have reclaimed with the rooms still loaded; their leaving
      // starts another (without the rooms' hook in server/main.ts, none comes).
      await until(() => loadedAtCollections.at(-1) === 0, 10_000, "a reclaim after the rooms left");
      expect(loadedAtCollections.filter((n) => n === 0)).toHaveLength(1);
    } finally {
      await stopTestServer(server);
    }
  }, 30_000);
});
