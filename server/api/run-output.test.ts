/**
 * A run report's console output (RunReport `output`): accepted within its caps, stored with the run
 * and handed to the host by `GET /progress` and the `run` event; refused with 400 over the caps;
 * hostile text (HTML, NUL, unpaired surrogates) never breaks storage, on SQLite or PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPORT_OUTPUT, type OutputLine, type RunReport } from "../../contract/run-report.js";
import { describeWith } from "../../test/support/requirements.js";
import type { Config } from "../config.js";
import { createTestSchema, type TestSchema } from "../../support/pg-schema.js";
import {
  createSession,
  joinSession,
  startTestServer,
  stopTestServer,
  type TestServer,
} from "../../support/server.js";
import { storableText } from "../../contract/text.js";

const report = (output: unknown, over: Partial<RunReport> = {}) => ({
  taskId: "gradient-descent",
  status: "ok",
  checks: [{ name: "one step", passed: true }],
  metrics: { loss: [1, 0.5] },
  durationMs: 12,
  output,
  ...over,
});
const line = (text: string, level: OutputLine["level"] = "log"): OutputLine => ({ level, text });

function runOutputSuite(overrides: () => Promise<Partial<Config>>, cleanup: () => Promise<void>) {
  let server: TestServer;
  let sessionId: string;
  let hostKey: string;
  let token: string;
  let participantId: string;
  const post = (body: unknown) =>
    server.api(`/api/sessions/${sessionId}/runs`, { method: "POST", json: body, bearer: token });
  const latestRun = async () => {
    const { body } = await server.api(`/api/sessions/${sessionId}/progress`, { bearer: hostKey });
    const me = body.participants.find((p: { participantId: string }) => p.participantId === participantId);
    return me.tasks["gradient-descent"].latestRun as RunReport;
  };

  beforeAll(async () => {
    server = await startTestServer(await overrides());
    const host = await createSession(server);
    const ada = await joinSession(server, host.joinCode, "Ada");
    ({ sessionId, hostKey } = host);
    ({ token, participantId } = ada);
  }, 30_000);
  afterAll(async () => {
    await stopTestServer(server);
    await cleanup();
  });

  it("stores output within the caps and hands it to the host", async () => {
    const output = [
      line("epoch 1 loss 0.5"),
      line('<img src=x onerror="window.__x=1">', "warn"),
      line("x".repeat(REPORT_OUTPUT.lineChars), "error"),
    ];
    const res = await post({ ...report(output), outputOmitted: 3 });
    expect(res.status).toBe(201);
    const stored = await latestRun();
    expect(stored.output).toEqual(output);
    expect(stored.outputOmitted).toBe(3);
  });

  it("a report without output is still accepted", async () => {
    const { output: _output, ...plain } = report(undefined);
    expect((await post(plain)).status).toBe(201);
    expect(await latestRun()).not.toHaveProperty("output");
  });

  it("refuses output over the caps with 400 and says which cap", async () => {
    const cases: [unknown, RegExp][] = [
      [Array.from({ length: REPORT_OUTPUT.lines + 1 }, () => line("a")), /at most 50 lines/],
      [[line("x".repeat(REPORT_OUTPUT.lineChars + 1))], /at most 500 characters/],
      // 20 lines of 500 two-byte characters: 20 000 bytes, over 8 KB.
      [Array.from({ length: 20 }, () => line("é".repeat(500))), /at most 8192 bytes/],
      [[{ level: "shout", text: "hi" }], /level/],
      [[{ level: "log", text: 42 }], /text/],
      [[{ level: "log", text: "hi", html: "<b>" }], /html|Unrecognized|unrecognized/],
      ["just a string", /output/],
    ];
    for (const [output, message] of cases) {
      const res = await post(report(output));
      expect(res.status, JSON.stringify(output).slice(0, 80)).toBe(400);
      expect(res.body.error.code).toBe("invalid_body");
      expect(res.body.error.message).toMatch(message);
    }
    expect((await post({ ...report([]), outputOmitted: -1 })).status).toBe(400);
  });

  it("stores hostile text (NUL, unpaired surrogates) without failing; the run stays readable", async () => {
    const hostile = "nul\u0000 lone\uD800 low\uDC00 pair😀 <script>alert(1)</script>";
    const res = await post(
      report([line(hostile)], {
        error: { kind: "runtime", message: `boom\u0000${hostile}`, line: 2 },
        checks: [{ name: "c\u0000", passed: false, message: "m\uD800", hint: "h\u0000" }],
      }),
    );
    expect(res.status).toBe(201);
    const stored = await latestRun();
    expect(stored.output![0]!.text).toBe("nul\uFFFD lone\uFFFD low\uFFFD pair😀 <script>alert(1)</script>");
    expect(stored.error!.message.startsWith("boom\uFFFD")).toBe(true);
    expect(stored.checks[0]).toMatchObject({ name: "c\uFFFD", message: "m\uFFFD", hint: "h\uFFFD" });
    // The server is still fine afterwards.
    expect((await server.api("/healthz")).status).toBe(200);
  });
}

describe("storableText", () => {
  it("replaces NUL and unpaired surrogates, keeps pairs, HTML and newlines", () => {
    expect(storableText("a\u0000b")).toBe("a\uFFFDb");
    expect(storableText("\uD800x\uDC00")).toBe("\uFFFDx\uFFFD");
    expect(storableText("😀 <b>\n")).toBe("😀 <b>\n");
  });
});

describe("run report output on SQLite", () => {
  runOutputSuite(
    async () => ({}),
    async () => undefined,
  );
});

await describeWith(["postgres"], "run report output on PostgreSQL", () => {
  let schema: TestSchema | undefined;
  runOutputSuite(
    async () => {
      schema = await createTestSchema("output");
      return { databaseUrl: schema.url };
    },
    async () => {
      await schema?.drop();
    },
  );
});
