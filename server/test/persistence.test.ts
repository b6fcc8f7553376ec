/**
 * Persistence across restarts: a graceful stop loses nothing; a `kill -9` of a child process
 * running `scratchroom serve` loses at most the last flush window (250 ms).
 */
import { rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { WebsocketProvider } from "y-websocket";
import type * as Y from "yjs";
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
  until,
} from "../../support/server.js";

const text = (p: WebsocketProvider) => p.doc.getMap<Y.Text>("files").get("gradient-descent")!;

describe("persistence", () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  it("a graceful restart restores sessions, tokens and every doc", async () => {
    const dataDir = tempDataDir();
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    let server = await startTestServer({ dataDir, flushIntervalMs: 10_000, roomGraceMs: 60_000 });
    const host = await createSession(server);
    const a = await joinSession(server, host.joinCode, "Ada");
    const p = connect(server, `workspace/${a.sessionId}/${a.workspaceId}`, a.token);
    await synced(p);
    text(p).insert(0, "// survives a restart\n");
    const hostP = connect(server, `session/${host.sessionId}`, host.hostKey);
    await synced(hostP);
    hostP.doc.getMap("meta").set("stage", "coding");
    await until(() => server.rooms.loadedNames().length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    p.destroy();
    hostP.destroy();
    // Flush window 10 s, eviction grace 60 s: only the graceful stop can have stored these edits.
    await stopTestServer(server, false);

    server = await startTestServer({ dataDir });
    cleanup.push(() => stopTestServer(server, false));
    const view = await server.api(`/api/sessions/${host.sessionId}`, { bearer: host.hostKey });
    expect(view.status).toBe(200);
    expect(view.body.state.stage).toBe("coding");
    expect(view.body.participants[0].name).toBe("Ada");
    const me = await server.api(`/api/sessions/${a.sessionId}/me`, { bearer: a.token });
    expect(me.status).toBe(200);
    const again = connect(server, `workspace/${a.sessionId}/${a.workspaceId}`, a.token);
    cleanup.push(() => again.destroy());
    await synced(again);
    expect(text(again).toString()).toMatch(/^\/\/ survives a restart\nimport/);
    expect(
      await server.api("/api/join", { method: "POST", json: { joinCode: host.joinCode, name: "Bo" } }),
    ).toMatchObject({
      status: 201,
    });
  });

  it("kill -9 of a serving process loses at most the last flush window", async () => {
    const dataDir = tempDataDir();
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await spawnServe(dataDir);
    cleanup.push(() => first.process.kill("SIGKILL"));
    const demoHost = /Host link: \S+\/host\/(\S+)#key=(\S+)/.exec(first.output)!;
    const server = remote(first.url);
    const host = await createSession(server);
    const a = await joinSession(server, host.joinCode, "Ada");
    const p = connect(server, `workspace/${a.sessionId}/${a.workspaceId}`, a.token);
    await synced(p);
    for (const line of ["// one\n", "// two\n", "// three\n"]) {
      text(p).insert(0, line);
      await new Promise((r) => setTimeout(r, 20));
    }
    // Wait beyond the 250 ms batch window, then kill without any chance to flush.
    await new Promise((r) => setTimeout(r, 600));
    first.process.kill("SIGKILL");
    await first.exited;
    p.destroy();

    const second = await spawnServe(dataDir);
    cleanup.push(() => second.process.kill("SIGKILL"));
    // The demo session is reused, not recreated.
    expect(second.output).toContain(`/host/${demoHost[1]}#key=${demoHost[2]}`);
    const server2 = remote(second.url);
    const view = await server2.api(`/api/sessions/${host.sessionId}`, { bearer: host.hostKey });
    expect(view.status).toBe(200);
    expect(view.body.participants.map((x: { name: string }) => x.name)).toEqual(["Ada"]);
    const again = connect(server2, `workspace/${a.sessionId}/${a.workspaceId}`, a.token);
    cleanup.push(() => again.destroy());
    await synced(again);
    expect(text(again).toString()).toMatch(/^\/\/ three\n\/\/ two\n\/\/ one\nimport/);

    // SIGTERM is a graceful stop: an edit still inside the flush window is written, exit code 0.
    const watcher = connect(server2, `workspace/${a.sessionId}/${a.workspaceId}`, host.hostKey);
    cleanup.push(() => watcher.destroy());
    await synced(watcher);
    text(again).insert(0, "// four\n");
    await until(() => text(watcher).toString().startsWith("// four"), 5000, "server has the edit");
    second.process.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    again.destroy();
    watcher.destroy();

    const third = await spawnServe(dataDir);
    cleanup.push(() => third.process.kill("SIGKILL"));
    const last = connect(remote(third.url), `workspace/${a.sessionId}/${a.workspaceId}`, a.token);
    cleanup.push(() => last.destroy());
    await synced(last);
    expect(text(last).toString()).toMatch(/^\/\/ four\n\/\/ three\n/);
  }, 120_000); // three child servers start from TypeScript sources
});
