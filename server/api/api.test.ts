import { mkdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunReport } from "../../contract/run-report.js";
import {
  createSession,
  joinSession,
  startTestServer,
  stopTestServer,
  type TestServer,
} from "../../support/server.js";

function postRaw(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", agent: false, headers: { "content-type": "application/json" } },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const report = (over: Partial<RunReport> = {}): RunReport => ({
  taskId: "gradient-descent",
  status: "ok",
  checks: [
    { name: "one step", passed: true },
    { name: "converges", passed: false, message: "x = 2.9" },
  ],
  metrics: { x: [0, 0.6, 1.08] },
  durationMs: 42,
  ...over,
});

describe("HTTP API", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ publicUrl: "https://room.example" });
  });
  afterAll(() => stopTestServer(server));

  it("GET /healthz", async () => {
    expect(await server.api("/healthz")).toEqual({ status: 200, body: { ok: true } });
  });

  it("GET /api/packs lists the demo pack with its tasks", async () => {
    const { status, body } = await server.api("/api/packs");
    expect(status).toBe(200);
    const demo = body.find((p: { id: string }) => p.id === "demo");
    expect(demo).toMatchObject({ title: expect.any(String), track: "demo" });
    expect(demo.tasks).toEqual([{ id: "gradient-descent", title: expect.any(String) }]);
  });

  it("POST /api/sessions creates a session with links; the host key is in the fragment", async () => {
    const { status, body } = await server.api("/api/sessions", {
      method: "POST",
      json: { pack: "demo", title: "Friday" },
    });
    expect(status).toBe(201);
    expect(body.joinCode).toMatch(/^[34679ACDEFGHJKMNPQRTWXY]{6}$/);
    expect(body.hostUrl).toBe(`https://room.example/host/${body.sessionId}#key=${body.hostKey}`);
    expect(body.joinUrl).toBe(`https://room.example/join/${body.joinCode}`);
    const view = await server.api(`/api/sessions/${body.sessionId}`, { bearer: body.hostKey });
    expect(view.body.title).toBe("Friday");
  });

  it("rejects bad bodies with 400 and a clear error", async () => {
    const malformed = await server.api("/api/sessions", {
      method: "POST",
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(malformed).toEqual({
      status: 400,
      body: { error: { code: "invalid_json", message: "request body is not valid JSON" } },
    });
    const missing = await server.api("/api/sessions", { method: "POST", json: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe("invalid_body");
    expect(missing.body.error.message).toContain("pack");
    const extra = await server.api("/api/sessions", { method: "POST", json: { pack: "demo", admin: true } });
    expect(extra.status).toBe(400);
    const unknown = await server.api("/api/sessions", { method: "POST", json: { pack: "nope" } });
    expect(unknown.body.error.code).toBe("unknown_pack");
    // A body over the limit: a fresh connection (no keep-alive), since the server stops reading it.
    const huge = await postRaw(
      `${server.url}/api/sessions`,
      JSON.stringify({ pack: "x".repeat(2 * 1024 * 1024) }),
    );
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body).error.code).toBe("body_too_large");
  });

  it("joins by code (case- and dash-insensitive), names validated", async () => {
    const host = await createSession(server);
    const typed = host.joinCode.toLowerCase().replace(/^(...)/, "$1-");
    const res = await server.api("/api/join", {
      method: "POST",
      json: { joinCode: typed, name: "  Grace  " },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ sessionId: host.sessionId, token: expect.stringContaining(".") });
    const me = await server.api(`/api/sessions/${host.sessionId}/me`, { bearer: res.body.token });
    expect(me.body).toEqual({
      sessionId: host.sessionId,
      participantId: res.body.participantId,
      workspaceId: res.body.workspaceId,
      name: "Grace",
    });
    for (const name of ["", "   ", "x".repeat(61), "a\u0000b"]) {
      const bad = await server.api("/api/join", { method: "POST", json: { joinCode: host.joinCode, name } });
      expect(bad.status, JSON.stringify(name)).toBe(400);
    }
    const wrong = await server.api("/api/join", { method: "POST", json: { joinCode: "ZZZZZZ", name: "A" } });
    expect(wrong.status).toBe(404);
    expect(wrong.body.error.code).toBe("unknown_join_code");
  });

  it("host routes need the host key; attendee routes need a token", async () => {
    const host = await createSession(server);
    const a = await joinSession(server, host.joinCode);
    const sid = host.sessionId;
    expect((await server.api(`/api/sessions/${sid}`)).status).toBe(401);
    expect((await server.api(`/api/sessions/${sid}`, { bearer: "wrong" })).status).toBe(401);
    expect((await server.api(`/api/sessions/${sid}`, { bearer: a.token })).status).toBe(403);
    expect((await server.api(`/api/sessions/${sid}/progress`, { bearer: a.token })).status).toBe(403);
    expect((await server.api(`/api/sessions/nope`, { bearer: host.hostKey })).status).toBe(404);
    expect((await server.api(`/api/sessions/${sid}/me`, { bearer: host.hostKey })).status).toBe(403);
    const runAsHost = await server.api(`/api/sessions/${sid}/runs`, {
      method: "POST",
      json: report(),
      bearer: host.hostKey,
    });
    expect(runAsHost.status).toBe(403);
    // A token of another session is refused.
    const other = await createSession(server);
    expect((await server.api(`/api/sessions/${other.sessionId}/tasks`, { bearer: a.token })).status).toBe(
      403,
    );
    // A forged token is refused.
    const [payload] = a.token.split(".");
    expect((await server.api(`/api/sessions/${sid}/me`, { bearer: `${payload}.AAAA` })).status).toBe(401);
  });

  it("host view has state, participants, workspaces, exposition and public tasks", async () => {
    const host = await createSession(server);
    const a = await joinSession(server, host.joinCode, "Ada");
    const { body } = await server.api(`/api/sessions/${host.sessionId}`, { bearer: host.hostKey });
    expect(body.state).toMatchObject({
      stage: "exposition",
      taskId: "gradient-descent",
      locked: false,
      pack: "demo",
    });
    expect(body.participants).toEqual([
      {
        participantId: a.participantId,
        name: "Ada",
        workspaceId: a.workspaceId,
        joinedAt: expect.any(Number),
      },
    ]);
    expect(body.workspaces[0]).toMatchObject({
      workspaceId: a.workspaceId,
      participantIds: [a.participantId],
    });
    expect(body.exposition.map((s: { id: string }) => s.id)).toEqual(["01-gradient-descent", "02-your-turn"]);
    expect(body.exposition[0].markdown.length).toBeGreaterThan(10);
    expect(body.tasks[0]).toMatchObject({ id: "gradient-descent", starter: expect.any(String) });
  });

  it("tasks never include solutions or hidden checks", async () => {
    const host = await createSession(server);
    const a = await joinSession(server, host.joinCode);
    for (const bearer of [a.token, host.hostKey]) {
      const { status, body } = await server.api(`/api/sessions/${host.sessionId}/tasks`, { bearer });
      expect(status).toBe(200);
      expect(body.tasks[0].id).toBe("gradient-descent");
      expect(body.tasks[0]).not.toHaveProperty("solution");
      expect(body.tasks[0]).not.toHaveProperty("hidden");
    }
  });

  it("stores runs and reports progress per participant and task", async () => {
    const host = await createSession(server);
    const a = await joinSession(server, host.joinCode, "Ada");
    const b = await joinSession(server, host.joinCode, "Alan");
    const url = `/api/sessions/${host.sessionId}/runs`;
    expect((await server.api(url, { method: "POST", json: report(), bearer: a.token })).status).toBe(201);
    const long = Array.from({ length: 5000 }, (_, i) => i);
    const second = report({ checks: [{ name: "one step", passed: true }], metrics: { loss: long } });
    expect((await server.api(url, { method: "POST", json: second, bearer: a.token })).status).toBe(201);
    const { body } = await server.api(`/api/sessions/${host.sessionId}/progress`, { bearer: host.hostKey });
    const [pa, pb] = body.participants;
    expect(pa.name).toBe("Ada");
    const task = pa.tasks["gradient-descent"];
    expect(task).toMatchObject({ runs: 2, checksPassed: 1, checksTotal: 1, verified: null });
    // Metric series are capped, keeping the first and last points.
    expect(task.latestRun.metrics.loss).toHaveLength(1000);
    expect(task.latestRun.metrics.loss.at(-1)).toBe(4999);
    expect(pb.participantId).toBe(b.participantId);
    expect(pb.tasks["gradient-descent"]).toMatchObject({ runs: 0, latestRun: null });
  });

  it("accepts where a metric series went non-finite and keeps it with the run", async () => {
    const host = await createSession(server);
    const a = await joinSession(server, host.joinCode, "Ada");
    const json = report({ metrics: { loss: [4, 2] }, nonFinite: { loss: { step: 2, value: "NaN" } } });
    const posted = await server.api(`/api/sessions/${host.sessionId}/runs`, {
      method: "POST",
      json,
      bearer: a.token,
    });
    expect(posted.status).toBe(201);
    const { body } = await server.api(`/api/sessions/${host.sessionId}/progress`, { bearer: host.hostKey });
    expect(body.participants[0].tasks["gradient-descent"].latestRun.nonFinite).toEqual({
      loss: { step: 2, value: "NaN" },
    });
  });

  it("keeps the device census a room attaches to its run report", async () => {
    const host = await createSession(server);
    const a = await joinSession(server, host.joinCode, "Ada");
    const device = { backend: "wasm", simd: true, threads: 4, crossOriginIsolated: true, msPerStep: 2.5 };
    const posted = await server.api(`/api/sessions/${host.sessionId}/runs`, {
      method: "POST",
      json: { ...report(), device },
      bearer: a.token,
    });
    expect(posted.status).toBe(201);
    const { body } = await server.api(`/api/sessions/${host.sessionId}/progress`, { bearer: host.hostKey });
    expect(body.participants[0].tasks["gradient-descent"].latestRun.device).toEqual(device);
  });

  it("rejects invalid run reports", async () => {
    const host = await createSession(server);
    const a = await joinSession(server, host.joinCode);
    const url = `/api/sessions/${host.sessionId}/runs`;
    const bad: unknown[] = [
      { ...report(), status: "maybe" },
      { ...report(), checks: "all" },
      { ...report(), metrics: { loss: ["x"] } },
      { ...report(), durationMs: -1 },
      { ...report(), taskId: "no-such-task" },
      { ...report(), nonFinite: { loss: { step: 2, value: "nan" } } },
      { ...report(), nonFinite: { loss: { step: 2, value: null } } },
      { ...report(), nonFinite: { loss: { value: "NaN" } } },
      { ...report(), device: { backend: "quantum", simd: true, threads: 4, crossOriginIsolated: true } },
      { ...report(), device: { backend: "wasm", simd: true, threads: 0, crossOriginIsolated: true } },
      { ...report(), device: { backend: "wasm", simd: true, threads: 2, crossOriginIsolated: true, x: 1 } },
    ];
    for (const json of bad) {
      const res = await server.api(url, { method: "POST", json, bearer: a.token });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.body.error.message.length).toBeGreaterThan(0);
    }
  });

  it("streams participant and run events to the host over SSE", async () => {
    const host = await createSession(server);
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/sessions/${host.sessionId}/events?token=${host.hostKey}`, {
      signal: controller.signal,
    });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.getReader();
    let text = "";
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        text += new TextDecoder().decode(value);
      }
    };
    await readUntil("event: ready");
    const a = await joinSession(server, host.joinCode, "Ada");
    await readUntil("event: participant");
    expect(text).toContain(a.participantId);
    await server.api(`/api/sessions/${host.sessionId}/runs`, {
      method: "POST",
      json: report(),
      bearer: a.token,
    });
    await readUntil("event: run");
    const runLine = text
      .split("\n")
      .find((l, i, all) => all[i - 1] === "event: run" && l.startsWith("data:"))!;
    expect(JSON.parse(runLine.slice(5))).toMatchObject({
      participantId: a.participantId,
      taskId: "gradient-descent",
      at: expect.any(Number),
      report: { status: "ok" },
    });
    controller.abort();
    const denied = await server.api(`/api/sessions/${host.sessionId}/events?token=${a.token}`);
    expect(denied.status).toBe(403);
  });

  it("publishes a run event once the run is stored, without waiting for its history version", async () => {
    const host = await createSession(server);
    const a = await joinSession(server, host.joinCode, "Ada");
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/sessions/${host.sessionId}/events?token=${host.hostKey}`, {
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let text = "";
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        text += new TextDecoder().decode(value);
      }
    };
    await readUntil("event: ready");
    // Hold every history version back until the run event has been seen.
    const records = server.storage.records;
    const addSnapshot = records.addSnapshot.bind(records);
    let releaseSnapshots: () => void = () => {};
    const held = new Promise<void>((resolve) => (releaseSnapshots = resolve));
    records.addSnapshot = async (snapshot) => {
      await held;
      return addSnapshot(snapshot);
    };
    try {
      let answered = false;
      const post = server
        .api(`/api/sessions/${host.sessionId}/runs`, { method: "POST", json: report(), bearer: a.token })
        .finally(() => (answered = true));
      await readUntil("event: run");
      expect(answered).toBe(false);
      releaseSnapshots();
      const posted = await post;
      expect(posted.status).toBe(201);
      // The POST still answers only once the run's version is kept: the reporter can open it.
      const history = await server.api(
        `/api/sessions/${host.sessionId}/workspaces/${a.workspaceId}/history`,
        { bearer: a.token },
      );
      expect(history.status).toBe(200);
      expect(history.body.versions.some((v: { runId: number | null }) => v.runId === posted.body.id)).toBe(
        true,
      );
    } finally {
      releaseSnapshots();
      records.addSnapshot = addSnapshot;
      controller.abort();
    }
  });

  it("unknown API routes are JSON 404s", async () => {
    const res = await server.api("/api/nope");
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });
});

describe("join rate limit", () => {
  it("refuses joins from one address beyond the limit with 429 and Retry-After", async () => {
    const server = await startTestServer({ limits: { joinsPerMinute: 3 } as TestServer["config"]["limits"] });
    try {
      const host = await createSession(server);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        statuses.push(
          (await server.api("/api/join", { method: "POST", json: { joinCode: host.joinCode, name: "x" } }))
            .status,
        );
      }
      expect(statuses).toEqual([201, 201, 201, 429]);
      const res = await fetch(`${server.url}/api/join`, { method: "POST", body: "{}" });
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    } finally {
      await stopTestServer(server);
    }
  });
});

describe("join rate limit behind a proxy", () => {
  const joinFrom = (server: TestServer, code: string, forwardedFor: string) =>
    server.api("/api/join", {
      method: "POST",
      json: { joinCode: code, name: "x" },
      headers: { "x-forwarded-for": forwardedFor },
    });
  const limits = { joinsPerMinute: 1 } as TestServer["config"]["limits"];

  it("with TRUST_PROXY counts the address the proxy appended, not what the client claims", async () => {
    const server = await startTestServer({ limits, trustProxy: true });
    try {
      const host = await createSession(server);
      expect((await joinFrom(server, host.joinCode, "1.1.1.1, 10.0.0.1")).status).toBe(201);
      expect((await joinFrom(server, host.joinCode, "2.2.2.2, 10.0.0.1")).status).toBe(429);
      expect((await joinFrom(server, host.joinCode, "10.0.0.2")).status).toBe(201);
    } finally {
      await stopTestServer(server);
    }
  });

  it("without TRUST_PROXY ignores X-Forwarded-For", async () => {
    const server = await startTestServer({ limits });
    try {
      const host = await createSession(server);
      expect((await joinFrom(server, host.joinCode, "1.1.1.1")).status).toBe(201);
      expect((await joinFrom(server, host.joinCode, "2.2.2.2")).status).toBe(429);
    } finally {
      await stopTestServer(server);
    }
  });
});

describe("client pages", () => {
  it("serves index.html with a CSP for app routes, long-cached assets and wasm with its MIME type", async () => {
    const server = await startTestServer();
    const clientDir = join(server.dataDir, "client");
    mkdirSync(join(clientDir, "assets"), { recursive: true });
    writeFileSync(join(clientDir, "index.html"), "<!doctype html><title>app</title>");
    writeFileSync(join(clientDir, "assets", "main-abc123.js"), "console.log(1)");
    writeFileSync(join(clientDir, "assets", "quickjs-abc.wasm"), new Uint8Array([0, 97, 115, 109]));
    server.config.clientDir = clientDir;
    await stopTestServer(server, false);
    const s2 = await startTestServer({ dataDir: server.dataDir, clientDir });
    try {
      for (const path of ["/", "/host/abc", "/join", "/join/ABCDEF", "/room/xyz", "/summary/xyz"]) {
        const res = await fetch(s2.url + path);
        expect(res.status, path).toBe(200);
        expect(await res.text()).toContain("<title>app</title>");
        const csp = res.headers.get("content-security-policy")!;
        expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
        expect(csp).toContain("frame-ancestors 'none'");
      }
      const js = await fetch(`${s2.url}/assets/main-abc123.js`);
      expect(js.headers.get("cache-control")).toContain("immutable");
      const wasm = await fetch(`${s2.url}/assets/quickjs-abc.wasm`);
      expect(wasm.headers.get("content-type")).toBe("application/wasm");
      expect((await fetch(`${s2.url}/nothing-here`)).status).toBe(404);
    } finally {
      await stopTestServer(s2);
    }
  });

  it("says to run npm run build when the client is missing", async () => {
    const server = await startTestServer({ clientDir: "/nonexistent/client" });
    try {
      const res = await fetch(server.url + "/");
      expect(await res.text()).toContain("npm run build");
    } finally {
      await stopTestServer(server);
    }
  });
});
