/**
 * Server CPU per update, without the network: the same stream of keystroke updates goes into one
 * connection of a room with N peers whose sockets frame what they are given but write nothing,
 * once through Scratchroom's SyncConnection/Room (with its SQLite update log, in memory) and once
 * through the stock @y/websocket-server's setupWSConnection, bare and with its y-leveldb persistence
 * (Hocuspocus is left out: it has no entry point that takes a fake socket). Each fake socket does
 * what the server's real one does short of the write system call: for `send`, `ws`'s own
 * `Sender.frame` (a frame per peer, as `ws.send` builds); for our room's fan-out, the shipped
 * shared-frame path (`sendShared`: the message's one frame, built on first use, shared by every
 * peer). Scheduling noise on a shared machine hardly touches this figure, unlike the end-to-end
 * latencies of bench/sync.ts.
 */
import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { DEFAULT_LIMITS } from "../server/config.js";
import { createLogger } from "../server/logger.js";
import { SqliteStorage } from "../server/storage/sqlite.js";
import { UpdateLog } from "../server/storage/update-log.js";
import { SyncConnection } from "../server/sync/connection.js";
import { RoomRegistry } from "../server/sync/registry.js";
import type { SharedMessage } from "../server/sync/shared-frame.js";
import { LeveldbPersistence, ywsUtils } from "./baselines/index.js";
import { median } from "./stats.js";

/** `ws`'s frame builder (exported by the package at runtime, not in its types). */
const { Sender } = (await import("ws")) as unknown as {
  Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] };
};
const serverFrame = { fin: true, mask: false, opcode: 2, readOnly: false, rsv1: false };

/** Frames `data` as `ws.send` does for a server's binary message, per call. */
function frameLikeWs(data: Uint8Array): number {
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Sender.frame(buffer, serverFrame).length;
}

/** Frames counted, so the work cannot be optimised away. */
let framed = 0;

/** `count` sync-update frames of random single-marker insertions, as typing produces. */
function keystrokes(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const frames: Uint8Array[] = [];
  doc.on("update", (update: Uint8Array) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    syncProtocol.writeUpdate(e, update);
    frames.push(encoding.toUint8Array(e));
  });
  const text = doc.getText("t");
  for (let i = 0; i < count; i++) text.insert(Math.floor(Math.random() * (text.length + 1)), "#ab#");
  return frames;
}

async function ours(peers: number, frames: Uint8Array[]): Promise<number> {
  const log = createLogger("silent");
  const storage = new SqliteStorage(":memory:");
  const updateLog = new UpdateLog(storage.documents, { flushIntervalMs: 250, compactAfterUpdates: 500 }, log);
  const rooms = new RoomRegistry(storage.documents, updateLog, { graceMs: 60_000 }, log);
  const limits = { ...DEFAULT_LIMITS, messagesPerSecond: 1e9, messageBurst: 1e9, bytesPerSecond: 1e12 };
  const connections: SyncConnection[] = [];
  for (let i = 0; i < peers; i++) {
    const socket = {
      send: (data: Uint8Array) => void (framed += frameLikeWs(data)),
      // What sharedFrameWriter does short of socket.write: the one shared frame.
      sendShared: (message: SharedMessage) => void (framed += message.frame.byteLength),
      close() {},
      terminate() {},
      bufferedAmount: 0,
    };
    const c = new SyncConnection(
      socket,
      { doc: "d", role: "host", principal: "host", writable: true },
      rooms,
      limits,
      log,
    );
    await c.open();
    connections.push(c);
  }
  const room = rooms.loaded("d")!;
  const start = performance.now();
  // One update per turn, as keystrokes arrive: the room fans each out at the end of its turn,
  // which `flush` does here at once (so the fan-out is inside the timing).
  for (const frame of frames) {
    connections[0]!.receive(frame);
    room.flush();
  }
  const micros = ((performance.now() - start) * 1000) / frames.length;
  await rooms.close();
  await storage.close();
  return micros;
}

class CountingSocket extends EventEmitter {
  readyState = 1;
  binaryType = "arraybuffer";
  send(data: Uint8Array): void {
    framed += frameLikeWs(data);
  }
  ping(): void {}
  close(): void {}
}

let baselineRoom = 0;
/**
 * The stock server, bare (`store` null) or with its y-leveldb persistence bound as 0.1.1 bound it
 * (every update stored as it arrives; the LevelDB write itself runs on libuv's thread pool).
 */
async function baseline(
  peers: number,
  frames: Uint8Array[],
  store: LeveldbPersistence | null,
): Promise<number> {
  ywsUtils.setPersistence(
    store && {
      provider: store,
      bindState: async (docName: string, ydoc: Y.Doc) => {
        const persisted = await store.getYDoc(docName);
        void store.storeUpdate(docName, Y.encodeStateAsUpdate(ydoc));
        Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(persisted));
        ydoc.on("update", (update: Uint8Array) => void store.storeUpdate(docName, update));
      },
      writeState: async () => {},
    },
  );
  const docName = `d${baselineRoom++}`;
  const sockets = Array.from({ length: peers }, () => {
    const socket = new CountingSocket();
    // The stock server touches only on/send/readyState/ping/close of its socket and url of the request.
    ywsUtils.setupWSConnection(
      socket as unknown as Parameters<typeof ywsUtils.setupWSConnection>[0],
      { url: `/${docName}` } as never,
      {
        docName,
      },
    );
    return socket;
  });
  // Let the persistence load the (empty) doc before the measured stream.
  await new Promise((r) => setTimeout(r, 20));
  const start = performance.now();
  for (const frame of frames) sockets[0]!.emit("message", frame);
  const micros = ((performance.now() - start) * 1000) / frames.length;
  for (const s of sockets) s.emit("close");
  return micros;
}

/** Median µs of server CPU per update fanned out to `peers` peers, for each server. */
export async function fanoutCpu(
  peers: number,
  updates = 2000,
  rounds = 5,
): Promise<{ ours: number; baseline: number; equal: number }> {
  const dir = mkdtempSync(join(tmpdir(), "scratchroom-fanout-"));
  const store = new LeveldbPersistence(join(dir, "leveldb"));
  try {
    // Warm up every code path so the first measured round is not the JIT's (with one round of 500
    // updates, the first peer count measured came out 1.2–1.7× its value in a second call).
    for (let w = 0; w < 2; w++) {
      const warm = keystrokes(updates);
      await ours(peers, warm);
      await baseline(peers, warm, null);
      await baseline(peers, warm, store);
    }
    const o: number[] = [];
    const b: number[] = [];
    const e: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const frames = keystrokes(updates);
      // Rotate the order, so no server always runs first (or last) in a round.
      const runs = [
        async () => o.push(await ours(peers, frames)),
        async () => b.push(await baseline(peers, frames, null)),
        async () => e.push(await baseline(peers, frames, store)),
      ];
      for (let k = 0; k < runs.length; k++) await runs[(k + r) % runs.length]!();
    }
    return { ours: median(o), baseline: median(b), equal: median(e) };
  } finally {
    ywsUtils.setPersistence(null);
    await store.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
