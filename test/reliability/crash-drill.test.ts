/**
 * Crash drill: `kill -9` a serving process while several clients type, keep typing while it is
 * down, restart it on the same DATA_DIR and port.
 *
 * Asserts: the update log left on disk holds every edit made more than one flush window before the
 * kill (read straight from SQLite, before the restart); the clients reconnect by themselves and
 * their edits made while the server was down reach it; the final text of each doc equals every
 * client's view and that of a client joining afterwards, and contains every edit ever made.
 *
 * (server/test/persistence.test.ts covers what a kill -9 keeps with one client that stopped
 * typing; this drill is the live version.)
 */
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { SqliteStorage } from "../../server/storage/sqlite.js";
import {
  connect,
  createSession,
  joinSession,
  remote,
  type ServeProcess,
  spawnServe,
  synced,
  tempDataDir,
  until,
} from "../../support/server.js";

/** The server's default flush window (config.flushIntervalMs). */
const flushWindowMs = 250;
/** Slack for delivery over loopback and the SQLite write itself on a busy machine. */
const slackMs = 500;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

const text = (p: WebsocketProvider) => p.doc.getMap<Y.Text>("files").get("gradient-descent")!;

interface Typist {
  provider: WebsocketProvider;
  doc: string;
  /** Every marker this client typed, with when it typed it. */
  typed: { marker: string; at: number }[];
}

describe("crash drill", () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  it("kill -9 mid-session, restart: the log is intact and every client converges", async () => {
    const dataDir = tempDataDir();
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    let serving: ServeProcess = await spawnServe(dataDir, { port });
    cleanup.push(() => serving.process.kill("SIGKILL"));
    const server = remote(serving.url);
    const host = await createSession(server);
    const ada = await joinSession(server, host.joinCode, "Ada");
    const bo = await joinSession(server, host.joinCode, "Bo");

    // Two workspaces, two tabs each: four clients typing.
    const typists: Typist[] = [];
    for (const a of [ada, ada, bo, bo]) {
      const doc = `workspace/${a.sessionId}/${a.workspaceId}`;
      const provider = connect(server, doc, a.token);
      cleanup.push(() => provider.destroy());
      typists.push({ provider, doc, typed: [] });
    }
    await Promise.all(typists.map((t) => synced(t.provider)));

    let typing = true;
    const typingDone = Promise.all(
      typists.map(async (t, i) => {
        for (let n = 0; typing; n++) {
          // Always at the start: a later insert never splits an earlier marker.
          const marker = `<${i}.${n}>`;
          text(t.provider).insert(0, marker);
          t.typed.push({ marker, at: Date.now() });
          await new Promise((r) => setTimeout(r, 30 + i * 7));
        }
      }),
    );

    await new Promise((r) => setTimeout(r, 1500));
    const killedAt = Date.now();
    serving.process.kill("SIGKILL");
    await serving.exited;
    await until(() => typists.every((t) => !t.provider.wsconnected), 5000, "clients to notice");

    // The log on disk, read before anything can reconnect.
    const storage = SqliteStorage.open(dataDir);
    const stored = new Map<string, string>();
    for (const doc of new Set(typists.map((t) => t.doc))) {
      const ydoc = new Y.Doc();
      for (const update of (await storage.documents.loadDoc(doc)).updates) Y.applyUpdate(ydoc, update);
      stored.set(doc, ydoc.getMap<Y.Text>("files").get("gradient-descent")?.toString() ?? "");
    }
    await storage.close();
    const durableBefore = killedAt - flushWindowMs - slackMs;
    let checked = 0;
    for (const t of typists) {
      for (const { marker, at } of t.typed) {
        if (at >= durableBefore) continue;
        expect(stored.get(t.doc), `${marker} typed ${killedAt - at} ms before the kill`).toContain(marker);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);

    // Keep typing while the server is down: these edits exist only in the clients.
    await new Promise((r) => setTimeout(r, 700));
    const restartedAt = Date.now();
    serving = await spawnServe(dataDir, { port });
    await until(() => typists.every((t) => t.provider.wsconnected && t.provider.synced), 15_000, "reconnect");
    await new Promise((r) => setTimeout(r, 500));
    typing = false;
    await typingDone;

    const offline = typists.flatMap((t) => t.typed.filter((x) => x.at > killedAt && x.at < restartedAt));
    expect(offline.length).toBeGreaterThan(10);
    for (const doc of new Set(typists.map((t) => t.doc))) {
      const tabs = typists.filter((t) => t.doc === doc);
      const newcomer = connect(
        remote(serving.url),
        doc,
        doc.includes(ada.workspaceId) ? ada.token : bo.token,
      );
      cleanup.push(() => newcomer.destroy());
      await synced(newcomer, 10_000);
      await until(
        () => tabs.every((t) => text(t.provider).toString() === text(newcomer).toString()),
        10_000,
        `${doc} to converge`,
      );
      const final = text(newcomer).toString();
      for (const t of tabs) for (const { marker } of t.typed) expect(final).toContain(marker);
    }
  }, 120_000); // two child servers start from TypeScript sources
});
