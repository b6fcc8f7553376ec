/**
 * Hidden checks and reference solutions never reach an attendee: every route an attendee can call,
 * both docs it can open over /sync, the app page and the whole built client bundle are scanned for
 * the demo pack's hidden.js and solution.js (every line of them that the attendee may not already
 * see in the starter, the visible checks or the instructions).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { WebsocketProvider } from "y-websocket";
import { sessionDocName, workspaceDocName } from "../../contract/doc-names.js";
import {
  type Attendee,
  connect,
  createSession,
  type HostedSession,
  joinSession,
  startTestServer,
  stopTestServer,
  synced,
  type TestServer,
} from "../../support/server.js";

const ROOT = join(import.meta.dirname, "..", "..");
const TASK_DIR = join(ROOT, "sessions", "demo", "tasks", "gradient-descent");
const read = (file: string) => readFileSync(join(TASK_DIR, file), "utf8");

/** Lines of the secret files an attendee must never see, with the spellings they take in JS/JSON. */
function secretFragments(): string[] {
  const visible = new Set(
    ["starter.js", "checks.js", "instructions.md"].flatMap((f) =>
      read(f)
        .split("\n")
        .map((l) => l.trim()),
    ),
  );
  const lines = ["hidden.js", "solution.js"]
    .flatMap((f) => read(f).split("\n"))
    .map((l) => l.trim())
    .filter((l) => l.length >= 12 && !visible.has(l));
  return lines.flatMap((l) => [l, JSON.stringify(l).slice(1, -1), l.replaceAll('"', "'")]);
}

function leaksIn(text: string, fragments: readonly string[]): string[] {
  return fragments.filter((f) => text.includes(f));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("an attendee never receives hidden checks or solutions", { timeout: 180_000 }, () => {
  const fragments = secretFragments();
  let server: TestServer;
  let host: HostedSession;
  let ada: Attendee;

  beforeAll(async () => {
    server = await startTestServer({ verify: { workers: 1, perSession: 1, maxQueued: 10 } });
    host = await createSession(server);
    ada = await joinSession(server, host.joinCode, "Ada");
  });
  afterAll(() => stopTestServer(server));

  it("has secrets to look for (the scan is not vacuous)", () => {
    expect(fragments.some((f) => f.includes("attempt.step(5, 0.25)"))).toBe(true);
    expect(fragments.some((f) => f.includes("x - lr * gradient"))).toBe(true);
    // The host does get them: the same scan finds them in what the pack loader serves the server.
    const pack = server.sessions.packs.get("demo")!;
    expect(leaksIn(JSON.stringify(pack), fragments).length).toBeGreaterThan(0);
  });

  it("in every API response an attendee can get", async () => {
    const sid = host.sessionId;
    const responses: { route: string; status: number; body: unknown }[] = [];
    const call = async (route: string, init: Parameters<TestServer["api"]>[1] = {}) => {
      const res = await server.api(route, { bearer: ada.token, ...init });
      responses.push({ route, ...res });
      return res;
    };
    await call("/api/packs");
    await call(`/api/sessions/${sid}/tasks`);
    await call(`/api/sessions/${sid}/me`);
    await call(`/api/sessions/${sid}`);
    await call(`/api/sessions/${sid}/progress`);
    await call(`/api/sessions/${sid}/events`);
    await call(`/api/sessions/${sid}/export?format=csv`);
    await call(`/api/sessions/${sid}/runs`, {
      method: "POST",
      json: { taskId: "gradient-descent", status: "ok", checks: [], metrics: {}, durationMs: 1 },
    });
    // A failing hidden check and a hidden check module that throws: neither may quote hidden.js.
    const verified = await call(`/api/sessions/${sid}/verify`, {
      method: "POST",
      json: { taskId: "gradient-descent" },
    });
    expect(verified.status).toBe(200);
    expect(verified.body.result.checks.some((c: { hidden?: boolean }) => c.hidden)).toBe(true);
    await call("/api/join", { method: "POST", json: { joinCode: host.joinCode, name: "Eve" } });
    // Host routes answer an attendee with 403, and nothing else.
    expect(responses.find((r) => r.route === `/api/sessions/${sid}`)!.status).toBe(403);
    for (const r of responses) {
      expect(leaksIn(JSON.stringify(r.body), fragments), r.route).toEqual([]);
    }
    // The tasks route is the attendee's view of the pack: it is there, without the secrets.
    const tasks = responses.find((r) => r.route.endsWith("/tasks"))!.body as { tasks: { starter: string }[] };
    expect(tasks.tasks[0]!.starter).toBe(read("starter.js"));
  });

  it("in the docs an attendee can open over /sync", async () => {
    const providers: WebsocketProvider[] = [];
    try {
      for (const name of [
        sessionDocName(host.sessionId),
        workspaceDocName(host.sessionId, ada.workspaceId),
      ]) {
        const doc = new Y.Doc();
        const provider = connect(server, name, ada.token, doc);
        providers.push(provider);
        await synced(provider);
        const content = JSON.stringify({
          meta: doc.getMap("meta").toJSON(),
          broadcasts: doc.getArray("broadcasts").toJSON(),
          roster: doc.getMap("roster").toJSON(),
          files: doc.getMap("files").toJSON(),
        });
        expect(content.length).toBeGreaterThan(20);
        expect(leaksIn(content, fragments), name).toEqual([]);
      }
    } finally {
      for (const p of providers) p.destroy();
    }
  });

  it("in the app page and the built client bundle", async () => {
    const { build } = await import("vite");
    const outDir = mkdtempSync(join(tmpdir(), "scratchroom-bundle-"));
    try {
      await build({
        root: join(ROOT, "client"),
        configFile: join(ROOT, "vite.config.ts"),
        logLevel: "warn",
        build: { outDir, emptyOutDir: true },
      });
      const files = filesUnder(outDir);
      expect(files.some((f) => f.endsWith(".js"))).toBe(true);
      for (const file of files) {
        if (/\.(wasm|png|ico|woff2?)$/.test(file)) continue;
        expect(leaksIn(readFileSync(file, "utf8"), fragments), file).toEqual([]);
      }
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
    const page = await fetch(`${server.url}/room/${host.sessionId}`).then((r) => r.text());
    expect(leaksIn(page, fragments)).toEqual([]);
  });
});
