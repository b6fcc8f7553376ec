import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Attendee,
  createSession,
  type HostedSession,
  joinSession,
  startTestServer,
  stopTestServer,
  type TestServer,
} from "../../support/server.js";

describe("questions", () => {
  let server: TestServer;
  let host: HostedSession;
  let ada: Attendee;

  beforeAll(async () => {
    server = await startTestServer();
    host = await createSession(server);
    ada = await joinSession(server, host.joinCode, "Ada");
  });
  afterAll(() => stopTestServer(server));

  const path = (rest = "") => `/api/sessions/${host.sessionId}/questions${rest}`;

  it("queues an attendee's question for the host, who marks it done", async () => {
    const asked = await server.api(path(), {
      method: "POST",
      bearer: ada.token,
      json: { text: "  Why is the gradient 2(x-3)?\nI got 3.  " },
    });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({ text: "Why is the gradient 2(x-3)?\nI got 3.", doneAt: null });
    const list = await server.api(path(), { bearer: host.hostKey });
    expect(list.body.questions).toEqual([
      expect.objectContaining({ id: asked.body.id, name: "Ada", doneAt: null }),
    ]);
    const done = await server.api(path(`/${asked.body.id}/done`), { method: "POST", bearer: host.hostKey });
    expect(done.status).toBe(200);
    expect(done.body.doneAt).toEqual(expect.any(Number));
    expect((await server.api(path(), { bearer: host.hostKey })).body.questions[0].doneAt).toBe(
      done.body.doneAt,
    );
  });

  it("checks roles and input", async () => {
    expect((await server.api(path(), { bearer: ada.token })).status).toBe(403);
    expect(
      (await server.api(path(), { method: "POST", bearer: host.hostKey, json: { text: "hi" } })).status,
    ).toBe(403);
    for (const text of ["", "   ", "x".repeat(2001), "a\u0000b"]) {
      const bad = await server.api(path(), { method: "POST", bearer: ada.token, json: { text } });
      expect(bad.status, JSON.stringify(text)).toBe(400);
    }
    expect((await server.api(path("/999999/done"), { method: "POST", bearer: host.hostKey })).status).toBe(
      404,
    );
    expect((await server.api(path("/abc/done"), { method: "POST", bearer: host.hostKey })).status).toBe(404);
    expect((await server.api(path("/1/done"), { method: "POST", bearer: ada.token })).status).toBe(403);
  });
});
